import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { messageOf } from '../../common/errors.js';
import type { TokenBrokerConfig } from '../../main/identity/tokens/token-broker.js';
import { PROVIDER_USERS, type DemoUser } from './demo-users.js';
import { consentPage, loginPage } from './login-pages.js';
import { ProviderStore } from './memory-adapter.js';
import { createTestCa, type TestCa } from './test-ca.js';

export interface LocalIdpOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  clientId?: string;
  users?: readonly DemoUser[];
  /** Short lifetimes make msal-node refresh through the provider instead of answering from its cache. */
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  /** Reuse an existing CA (e.g. the project's shared test CA); a fresh one is made otherwise. */
  ca?: TestCa;
  /**
   * 'oidc' (default): roles and auth_time in every ID token. 'entra-default': what a default Microsoft Entra app
   * registration issues: no auth_time (an optional claim there), security groups (`groups`, by object id; see
   * groupIdOf) instead of app roles, and an `acrs` claim naming the authentication context a sign-in asked for
   * with a claims request (`{"id_token":{"acrs":{"essential":true,"value":"c1"}}}`).
   */
  mode?: 'oidc' | 'entra-default';
}

/** The object id the local provider in 'entra-default' mode gives the security group of a role's holders. */
export function groupIdOf(role: string): string {
  const hex = createHash('sha256').update(`careshell-local-group:${role}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The authentication context a claims request asked for as an essential `acrs` claim, if any. */
function requestedAcrs(requested: unknown): string[] | undefined {
  const acrs = (requested as { acrs?: { value?: unknown; values?: unknown } } | undefined)?.acrs;
  if (typeof acrs?.value === 'string') return [acrs.value];
  if (Array.isArray(acrs?.values)) return acrs.values.filter((v): v is string => typeof v === 'string');
  return undefined;
}

export interface LocalIdp {
  /** https://127.0.0.1:<port>, also the msal-node authority. */
  issuer: string;
  /** Host and port, the value msal-node wants in auth.knownAuthorities. */
  authorityHost: string;
  clientId: string;
  /** The CA certificate a client must trust to talk to this provider. */
  caPem: string;
  /** How msal-node must be set up for this provider (the facts in docs/identity.md: OIDC, https, consent). */
  msal: TokenBrokerConfig;
  users: readonly DemoUser[];
  /**
   * Registers a first-party web app (a confidential client: code + PKCE, client_secret_basic) that signs users in
   * without a consent page, as a hospital registers its own apps; returns its credentials.
   */
  registerWebClient(redirectUri: string): Promise<WebClientCredentials>;
  /** Deletes every refresh token (and its grant) the provider issued to the user; returns how many grants. */
  revokeRefreshTokens(userId: string): number;
  /** Stops listening and drops open connections: an outage, as far as clients can tell. */
  stop(): Promise<void>;
}

export interface WebClientCredentials {
  clientId: string;
  clientSecret: string;
}

const HOUR = 60 * 60;

interface GrantContext {
  oidc: {
    client: { clientId: string };
    session: { accountId?: string; grantIdFor(clientId: string): string | undefined };
    result?: { consent?: { grantId?: string } };
    provider: Provider;
  };
}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 16_384) reject(new Error('form too large'));
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

/**
 * A real OpenID Connect provider (oidc-provider) on https://127.0.0.1 for the demo and the integration tests:
 * a native public client with the loopback redirect (any port, RFC 8252 §7.3), PKCE, oidc-provider's own rule
 * for refresh tokens (only with consent to offline_access, i.e. prompt=consent, OpenID Connect Core §11), roles in
 * the ID token, and its own login and consent pages.
 */
export async function startLocalIdp(options: LocalIdpOptions = {}): Promise<LocalIdp> {
  const users = options.users ?? PROVIDER_USERS;
  const entra = options.mode === 'entra-default';
  const clientId = options.clientId ?? 'careshell-desktop';
  const ca = options.ca ?? createTestCa();
  const tls = ca.issueServerCert({ dns: ['localhost'], ips: ['127.0.0.1'] });
  const store = new ProviderStore();

  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503);
    res.end();
  };
  const server: Server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `https://127.0.0.1:${port}`;

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = {
    ...privateKey.export({ format: 'jwk' }),
    kid: randomBytes(8).toString('hex'),
    alg: 'RS256',
    use: 'sig',
  };

  const byId = new Map(users.map((u) => [u.id, u]));
  const firstPartyClients = new Set<string>();
  const provider = new Provider(issuer, {
    adapter: (model: string) => store.adapterFor(model),
    clients: [
      {
        client_id: clientId,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['http://localhost'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        // Step-up checks how fresh the sign-in is; a default Entra registration does not send auth_time.
        require_auth_time: !entra,
      },
    ],
    async findAccount(_ctx: unknown, sub: string) {
      const user = byId.get(sub);
      if (!user) return undefined;
      return {
        accountId: user.id,
        claims: async (_use: string, _scope: string, requested: unknown) => ({
          sub: user.id,
          oid: user.id,
          name: user.displayName,
          preferred_username: user.username,
          email: user.email,
          ...(entra ? { groups: user.roles.map(groupIdOf) } : { roles: user.roles }),
          ...(entra && requestedAcrs(requested) ? { acrs: requestedAcrs(requested) } : {}),
        }),
      };
    },
    claims: {
      openid: ['sub', 'oid'],
      profile: ['name', 'preferred_username', entra ? 'groups' : 'roles'],
      email: ['email'],
      ...(entra ? { acrs: null } : {}),
    },
    // Entra ID puts profile claims and roles in the ID token of a code flow; do the same.
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      claimsParameter: { enabled: entra },
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    jwks: { keys: [signingKey] },
    expiresWithSession: async () => false,
    // First-party web apps get the grant without a consent page (oidc-provider's documented pattern).
    async loadExistingGrant(ctx: GrantContext) {
      const { client, session, result, provider: oidc } = ctx.oidc;
      const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) return oidc.Grant.find(grantId);
      if (!firstPartyClients.has(client.clientId) || !session.accountId) return undefined;
      const grant = new oidc.Grant({ accountId: session.accountId, clientId: client.clientId });
      grant.addOIDCScope('openid profile email');
      if (entra) grant.rejectOIDCClaims(['auth_time']);
      await grant.save();
      return grant;
    },
    pkce: { required: () => true },
    ttl: {
      AccessToken: options.accessTokenTtlSeconds ?? 10 * 60,
      AuthorizationCode: 60,
      IdToken: HOUR,
      RefreshToken: options.refreshTokenTtlSeconds ?? 12 * HOUR,
      Interaction: 10 * 60,
      Session: 12 * HOUR,
      Grant: 12 * HOUR,
    },
  });

  async function interaction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const action = (req.url ?? '').split('?')[0]!.split('/')[3];
    if (req.method === 'GET') {
      if (details.prompt.name === 'login') {
        const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : undefined;
        sendHtml(res, 200, loginPage(details.uid, { loginHint: hint }));
      } else {
        const scopes = details.prompt.details.missingOIDCScope ?? [];
        sendHtml(res, 200, consentPage(details.uid, clientId, scopes));
      }
      return;
    }
    const form = await readForm(req);
    if (action === 'login') {
      const user = users.find((u) => u.username === form.get('login') && u.password === form.get('password'));
      if (!user) {
        sendHtml(
          res,
          200,
          loginPage(details.uid, { loginHint: form.get('login') ?? '', error: 'Wrong user name or password.' }),
        );
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: user.id } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (action === 'confirm') {
      if (form.get('decision') !== 'allow') {
        await provider.interactionFinished(req, res, {
          error: 'access_denied',
          error_description: 'The user declined.',
        });
        return;
      }
      const accountId = details.session?.accountId;
      if (!accountId) throw new Error('consent without a signed-in account');
      const grant = details.grantId
        ? ((await provider.Grant.find(details.grantId)) ?? new provider.Grant({ accountId, clientId }))
        : new provider.Grant({ accountId, clientId });
      const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = details.prompt.details;
      if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
      if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
      for (const [resource, scopes] of Object.entries(missingResourceScopes ?? {})) {
        grant.addResourceScope(resource, scopes.join(' '));
      }
      // oidc-provider adds auth_time to every prompt=login ID token; Entra sends it only as an optional claim.
      if (entra) grant.rejectOIDCClaims(['auth_time']);
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return;
    }
    sendHtml(res, 404, 'Not found');
  }

  const providerCallback = provider.callback();
  handler = (req, res) => {
    if ((req.url ?? '').startsWith('/interaction/')) {
      interaction(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendHtml(res, 400, `Sign-in failed: ${messageOf(error)}`);
        else res.end();
      });
      return;
    }
    providerCallback(req, res);
  };

  const authorityHost = `127.0.0.1:${port}`;
  return {
    issuer,
    authorityHost,
    clientId,
    caPem: ca.caPem,
    msal: {
      clientId,
      authority: issuer,
      knownAuthorities: [authorityHost],
      protocolMode: 'OIDC',
      scopes: [],
      rolesClaim: 'roles',
      consentForOfflineAccess: true,
    },
    users,
    async registerWebClient(redirectUri) {
      const credentials = {
        clientId: `web-${randomBytes(6).toString('hex')}`,
        clientSecret: randomBytes(32).toString('hex'),
      };
      // oidc-provider looks clients that are not in its static list up in the adapter's Client model.
      await store.adapterFor('Client').upsert(credentials.clientId, {
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      });
      firstPartyClients.add(credentials.clientId);
      return credentials;
    },
    revokeRefreshTokens(userId) {
      const grants = store.refreshTokenGrantsOf(userId);
      store.revokeGrants(grants);
      return grants.size;
    },
    stop() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
