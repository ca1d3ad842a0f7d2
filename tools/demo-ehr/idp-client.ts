import { createHash } from 'node:crypto';
import { request } from 'node:https';
import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet } from 'jose';
import { z } from 'zod';
import type { Clock } from '../../common/clock.js';

/**
 * The EHR's side of OpenID Connect: discovery, the authorization-code + PKCE redirect, the code exchange as a
 * confidential client, ID-token verification (jose, against the provider's JWKS) and bearer-token checks through
 * the provider's userinfo endpoint (so a revoked or expired token stops working at once).
 */

export interface IdpConnection {
  issuer: string;
  /** The CA certificate that signed the provider's TLS certificate (PEM); the system store when absent. */
  caPem?: string;
}

/** Who a verified token or session belongs to. */
export interface IdentityClaims {
  sub: string;
  name: string;
  roles: string[];
}

const discoverySchema = z.object({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  userinfo_endpoint: z.url(),
});

const tokenResponseSchema = z.object({ id_token: z.string(), access_token: z.string().optional() });

const claimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().optional(),
  preferred_username: z.string().optional(),
  roles: z.array(z.string()).optional(),
});

interface HttpsAnswer {
  status: number;
  body: string;
}

function httpsCall(
  url: string,
  ca: string | undefined,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, ...(ca ? { ca } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`No answer from ${new URL(url).origin} in 10 s`)));
    req.on('error', reject);
    req.end(init.body);
  });
}

function parseJson<T>(answer: HttpsAnswer, schema: z.ZodType<T>, what: string): T {
  if (answer.status !== 200) throw new Error(`${what} answered HTTP ${answer.status}: ${answer.body.slice(0, 200)}`);
  return schema.parse(JSON.parse(answer.body));
}

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function toIdentity(claims: z.infer<typeof claimsSchema>): IdentityClaims {
  return { sub: claims.sub, name: claims.name ?? claims.preferred_username ?? claims.sub, roles: claims.roles ?? [] };
}

export class IdpClient {
  private constructor(
    private readonly connection: IdpConnection,
    private readonly clock: Clock,
    private readonly client: { clientId: string; clientSecret: string; redirectUri: string },
    private readonly endpoints: z.infer<typeof discoverySchema>,
    private jwks: ReturnType<typeof createLocalJWKSet>,
  ) {}

  static async discover(
    connection: IdpConnection,
    clock: Clock,
    client: { clientId: string; clientSecret: string; redirectUri: string },
  ): Promise<IdpClient> {
    const url = `${connection.issuer}/.well-known/openid-configuration`;
    const endpoints = parseJson(await httpsCall(url, connection.caPem), discoverySchema, 'OpenID discovery');
    if (endpoints.issuer !== connection.issuer) {
      throw new Error(`The provider at ${url} names issuer ${endpoints.issuer}; expected ${connection.issuer}.`);
    }
    return new IdpClient(
      connection,
      clock,
      client,
      endpoints,
      await IdpClient.loadJwks(endpoints.jwks_uri, connection),
    );
  }

  private static async loadJwks(uri: string, connection: IdpConnection) {
    const keys = parseJson(
      await httpsCall(uri, connection.caPem),
      z.custom<JSONWebKeySet>((v) => typeof v === 'object'),
      'JWKS',
    );
    return createLocalJWKSet(keys);
  }

  authorizationUrl(params: { state: string; nonce: string; codeVerifier: string }): string {
    const url = new URL(this.endpoints.authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: this.client.clientId,
      response_type: 'code',
      redirect_uri: this.client.redirectUri,
      scope: 'openid profile',
      state: params.state,
      nonce: params.nonce,
      code_challenge: pkceChallenge(params.codeVerifier),
      code_challenge_method: 'S256',
    }).toString();
    return url.toString();
  }

  /** Exchanges the code and verifies the ID token (signature, issuer, audience, expiry, nonce). */
  async signIn(code: string, codeVerifier: string, nonce: string): Promise<IdentityClaims> {
    const basic = Buffer.from(
      `${encodeURIComponent(this.client.clientId)}:${encodeURIComponent(this.client.clientSecret)}`,
    ).toString('base64');
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.client.redirectUri,
      code_verifier: codeVerifier,
    }).toString();
    const answer = await httpsCall(this.endpoints.token_endpoint, this.connection.caPem, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const tokens = parseJson(answer, tokenResponseSchema, 'The token endpoint');
    const verify = () =>
      jwtVerify(tokens.id_token, this.jwks, {
        issuer: this.connection.issuer,
        audience: this.client.clientId,
        currentDate: this.clock.wallTime(),
      });
    let payload;
    try {
      payload = (await verify()).payload;
    } catch (error) {
      // The provider may have rotated its keys since start-up: reload them once.
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      this.jwks = await IdpClient.loadJwks(this.endpoints.jwks_uri, this.connection);
      payload = (await verify()).payload;
    }
    if (payload.nonce !== nonce) throw new Error('The ID token does not carry the nonce of this sign-in.');
    return toIdentity(claimsSchema.parse(payload));
  }

  /** The identity behind a bearer access token, or undefined when the provider does not accept the token. */
  async identityOfAccessToken(accessToken: string): Promise<IdentityClaims | undefined> {
    const answer = await httpsCall(this.endpoints.userinfo_endpoint, this.connection.caPem, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    if (answer.status === 401 || answer.status === 400 || answer.status === 403) return undefined;
    return toIdentity(parseJson(answer, claimsSchema, 'The userinfo endpoint'));
  }
}
