import {
  CryptoProvider,
  InteractionRequiredAuthError,
  LogLevel,
  PublicClientApplication,
  ResponseMode,
  ServerError,
  type AccountInfo,
  type AuthorizationUrlRequest,
  type AuthenticationResult,
  type Configuration,
  type INetworkModule,
} from '@azure/msal-node';
import type { Clock } from '../../../common/clock.js';
import { messageOf } from '../../../common/errors.js';
import type { Random } from '../../../common/random.js';
import type { Sealer } from '../crypto/sealer.js';
import type { IdentityAudit } from '../identity-audit.js';
import type { KeyValueStore } from '../storage/key-value-store.js';
import { readIdentityClaims, type GroupRoles, type IdentityClaims } from './identity-claims.js';
import { IdentityNetworkError } from './https-network-client.js';
import { LoopbackListener } from './loopback-listener.js';
import { createSealedCachePlugin, tokenCacheContext, tokenCacheKey } from './sealed-cache-plugin.js';

export interface TokenBrokerConfig {
  clientId: string;
  /** https only; msal-node refuses http authorities. */
  authority: string;
  /** Hosts (with port) msal may trust without Entra instance discovery, e.g. a local provider. */
  knownAuthorities?: string[];
  /** 'AAD' for Entra ID, 'OIDC' for any other OpenID provider (the local one). */
  protocolMode: 'AAD' | 'OIDC';
  /** Scopes for the EHR; OpenID scopes (openid, profile, offline_access) are added by msal. */
  scopes: string[];
  /** ID token claim that carries roles (Entra app roles: "roles"). */
  rolesClaim: string;
  /** Roles from the `groups` claim: group object id -> roles (policy identity.groupRoles). */
  groupRoles?: GroupRoles;
  /**
   * Send prompt=consent on a full sign-in. Providers that follow OpenID Connect Core §11 (oidc-provider, the
   * local IdP) grant offline_access, and so a refresh token, only then; Entra ID does not need it.
   */
  consentForOfflineAccess?: boolean;
  /** How long an interactive sign-in may wait for the provider's answer before it fails (default 5 minutes). */
  signInTimeoutMs?: number;
}

export const DEFAULT_SIGN_IN_TIMEOUT_MS = 5 * 60_000;

export const SIGN_IN_WINDOW_CLOSED =
  'The sign-in window was closed before sign-in finished; tap your badge to try again.';

/** What the page opener gets besides the URL: how to end the sign-in, and when it is over. */
export interface SignInPage {
  /** The person closed the page before finishing: the sign-in fails at once (SIGN_IN_WINDOW_CLOSED). */
  cancel(): void;
  /** Aborted when the sign-in is over (finished, failed, cancelled or timed out): close the page. */
  readonly ended: AbortSignal;
}

/**
 * Shows the provider's sign-in page: a sign-in window in the shell, Playwright in tests, the system browser.
 * Resolves once the page is shown (the answer arrives at the loopback listener); a rejection fails the sign-in.
 */
export type OpenSignInPage = (url: string, page: SignInPage) => Promise<void>;

export interface TokenBrokerDeps {
  config: TokenBrokerConfig;
  store: KeyValueStore;
  sealer: Sealer;
  audit: IdentityAudit;
  clock: Clock;
  /** The sign-in's state value (matched against the provider's answer). */
  random: Random;
  openBrowser: OpenSignInPage;
  /** Defaults to msal's fetch-based client; inject HttpsNetworkClient to trust a private CA. */
  networkClient?: INetworkModule;
}

export interface SignedIn extends IdentityClaims {
  homeAccountId: string;
  accessToken: string;
  expiresOn: Date | null;
  fromCache: boolean;
}

export type TokenFailure =
  /**
   * The provider must see the user: no cached account, refresh token expired or revoked. grantRefused: the
   * provider itself refused the refresh token (invalid_grant: revoked, expired, account disabled), as opposed to
   * asking for more (MFA, consent) or this workstation having no token.
   */
  | { ok: false; reason: 'interaction-required'; message: string; grantRefused?: true }
  /** The provider cannot be reached (outage, network); nothing is wrong with the user. */
  | { ok: false; reason: 'unavailable'; message: string }
  /** The provider answered with an error (user declined, misconfiguration). */
  | { ok: false; reason: 'failed'; message: string };

export type TokenOutcome = { ok: true; identity: SignedIn } | TokenFailure;

/** A full sign-in's token cache, held in memory until the caller knows it belongs on this workstation. */
export interface SignInCache {
  /** Seals it as the signed-in user's saved cache, replacing what was there. */
  save(): Promise<void>;
}

/** A full sign-in: the identity, and its tokens, which nothing writes at rest unless the caller saves them. */
export type SignInOutcome = { ok: true; identity: SignedIn; cache: SignInCache } | TokenFailure;

export interface SignInOptions {
  /** Pre-fills the account at the provider (step-up, re-sign-in of a known user). */
  loginHint?: string;
  /**
   * Makes the provider ask for credentials even if it still has a session, and returns no cache to save: a
   * step-up proves presence, it does not replace the refresh token.
   */
  forceLogin?: boolean;
  /** Aborted when the workstation no longer wants this sign-in (cancelled, locked, another badge): the page closes. */
  signal?: AbortSignal;
  /**
   * A Conditional Access authentication context (Entra `c1`..`c99`) the sign-in must satisfy: asked for as an
   * essential `acrs` claim (a claims request); the ID token's `acrs` says whether it was applied.
   */
  authenticationContext?: string;
}

/** Why a sign-in ended when the workstation abandoned it (SignInOptions.signal). */
export const SIGN_IN_ABANDONED = 'The sign-in was stopped at the workstation.';

const UNAVAILABLE_CODES = new Set(['network_error', 'endpoints_resolution_error', 'openid_config_error']);

/**
 * Full sign-in, silent token acquisition and token-cache wiping through @azure/msal-node. Each user has their
 * own sealed cache (one PublicClientApplication per user), so one clinician's refresh token can never answer
 * a silent request for another, and wiping one user leaves the others alone.
 */
export class TokenBroker {
  private readonly perUser = new Map<string, PublicClientApplication>();
  private readonly crypto = new CryptoProvider();
  /** The last queued cache task per user: silent requests, saves and wipes of one user run one at a time. */
  private readonly turns = new Map<string, Promise<void>>();

  constructor(private readonly deps: TokenBrokerDeps) {}

  /**
   * Interactive auth code + PKCE with the loopback redirect (form_post). Nothing is written at rest here: a
   * full sign-in returns its cache for the caller to save once it knows the person is enrolled here (a refused
   * enrollment or the wrong account leaves nothing, and never touches anyone else's saved sign-in); a forced
   * (step-up) sign-in returns none. The wait for the provider's answer ends when the page is closed
   * (SignInPage.cancel) or after signInTimeoutMs, and the loopback listener is always closed when it returns.
   */
  signIn(options: SignInOptions & { forceLogin: true }): Promise<TokenOutcome>;
  signIn(options?: SignInOptions & { forceLogin?: false }): Promise<SignInOutcome>;
  async signIn(options: SignInOptions = {}): Promise<SignInOutcome | TokenOutcome> {
    const transient = this.application(undefined);
    let result: AuthenticationResult;
    try {
      result = await this.authorize(transient, options);
    } catch (error) {
      return classify(error, 'Sign-in');
    }
    let identity: SignedIn;
    try {
      identity = this.identityOf(result);
    } catch (error) {
      return { ok: false, reason: 'failed', message: messageOf(error) };
    }
    if (options.forceLogin) return { ok: true, identity };
    const serialized = transient.getTokenCache().serialize();
    const save = () =>
      this.inTurn(identity.userId, () =>
        this.deps.store.write(
          tokenCacheKey(identity.userId),
          this.deps.sealer.seal(Buffer.from(serialized, 'utf8'), tokenCacheContext(identity.userId)),
        ),
      );
    return { ok: true, identity, cache: { save } };
  }

  /** Tokens for an enrolled user from their cache, refreshing through the provider when needed. */
  acquireSilent(userId: string, options: { forceRefresh?: boolean } = {}): Promise<TokenOutcome> {
    return this.inTurn(userId, () => this.silent(userId, options.forceRefresh ?? false));
  }

  /**
   * Deletes the user's tokens at rest and in memory (session ended by policy, unenrollment). A silent request
   * still running finishes first, so the cache it writes back afterwards cannot outlive the wipe.
   */
  wipe(userId: string): Promise<void> {
    return this.inTurn(userId, async () => {
      this.perUser.delete(userId);
      await this.deps.store.delete(tokenCacheKey(userId));
    });
  }

  private async silent(userId: string, forceRefresh: boolean): Promise<TokenOutcome> {
    const application = this.application(userId);
    let account: AccountInfo | undefined;
    try {
      const accounts = await application.getTokenCache().getAllAccounts();
      account = accounts.find((a) => (a.idTokenClaims?.oid ?? a.idTokenClaims?.sub ?? a.localAccountId) === userId);
    } catch (error) {
      return classify(error, 'Reading the token cache');
    }
    if (!account) {
      return { ok: false, reason: 'interaction-required', message: 'No saved sign-in for this user: sign in again.' };
    }
    try {
      const result = await application.acquireTokenSilent({
        account,
        scopes: this.deps.config.scopes,
        forceRefresh,
      });
      return { ok: true, identity: this.identityOf(result) };
    } catch (error) {
      return classify(error, 'Silent sign-in');
    }
  }

  /** Runs a task that reads or writes one user's cache after that user's earlier ones, whatever their outcome. */
  private inTurn<T>(userId: string, task: () => Promise<T>): Promise<T> {
    const run = (this.turns.get(userId) ?? Promise.resolve()).then(task, task);
    const done = run.then(
      () => undefined,
      () => undefined,
    );
    this.turns.set(userId, done);
    void done.then(() => this.turns.get(userId) === done && this.turns.delete(userId));
    return run;
  }

  /**
   * The auth code flow with a loopback listener of its own, closed whatever happens (answer, page closed,
   * timeout, error), and the page told when it is over.
   */
  private async authorize(transient: PublicClientApplication, options: SignInOptions): Promise<AuthenticationResult> {
    const { verifier, challenge } = await this.crypto.generatePkceCodes();
    const state = Buffer.from(this.deps.random.bytes(32)).toString('base64url');
    const listener = await LoopbackListener.open({
      state,
      successPage: 'Signed in to CareShell. You can close this window.',
      errorPage: 'Sign-in did not complete. Close this window and try again at the workstation.',
    });
    const timeoutMs = this.deps.config.signInTimeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS;
    const stopTimer = this.deps.clock.setTimer(timeoutMs, () =>
      listener.close(
        new SignInEnded(`Sign-in did not finish within ${describeDuration(timeoutMs)}; tap your badge to try again.`),
      ),
    );
    const ended = new AbortController();
    const abandon = () => listener.close(new SignInEnded(SIGN_IN_ABANDONED));
    if (options.signal?.aborted) abandon();
    options.signal?.addEventListener('abort', abandon, { once: true });
    const claims = options.authenticationContext
      ? JSON.stringify({ id_token: { acrs: { essential: true, value: options.authenticationContext } } })
      : undefined;
    try {
      const request: AuthorizationUrlRequest = {
        scopes: this.deps.config.scopes,
        redirectUri: listener.redirectUri,
        responseMode: ResponseMode.FORM_POST,
        codeChallenge: challenge,
        codeChallengeMethod: 'S256',
        state,
        ...(claims ? { claims } : {}),
        ...(options.loginHint ? { loginHint: options.loginHint } : {}),
        ...(options.forceLogin
          ? { prompt: 'login' }
          : this.deps.config.consentForOfflineAccess
            ? { prompt: 'consent' }
            : {}),
      };
      // Resolves the provider first, so nobody is sent to a dead sign-in page during an outage.
      const url = await transient.getAuthCodeUrl(request);
      const page: SignInPage = {
        cancel: () => listener.close(new SignInEnded(SIGN_IN_WINDOW_CLOSED)),
        ended: ended.signal,
      };
      const shown = Promise.resolve().then(() => this.deps.openBrowser(url, page));
      shown.catch(() => undefined); // an opener failing after the answer is in changes nothing
      const answer = await Promise.race([listener.response, shown.then(() => listener.response)]);
      if (answer.error) throw new ServerError(answer.error, '', answer.error_description);
      return await transient.acquireTokenByCode({
        scopes: request.scopes,
        redirectUri: request.redirectUri,
        code: answer.code!,
        codeVerifier: verifier,
        clientInfo: answer.client_info ?? '',
        ...(claims ? { claims } : {}),
        ...(options.loginHint ? { loginHint: options.loginHint } : {}),
      });
    } finally {
      stopTimer();
      options.signal?.removeEventListener('abort', abandon);
      listener.close(new SignInEnded('The sign-in has ended.'));
      ended.abort();
    }
  }

  private identityOf(result: AuthenticationResult): SignedIn {
    const claims = readIdentityClaims(result.idTokenClaims, this.deps.config.rolesClaim, this.deps.config.groupRoles);
    if (!result.account) throw new Error('The provider returned tokens without an account.');
    return {
      ...claims,
      homeAccountId: result.account.homeAccountId,
      accessToken: result.accessToken,
      expiresOn: result.expiresOn,
      fromCache: result.fromCache,
    };
  }

  private application(userId: string | undefined): PublicClientApplication {
    const existing = userId === undefined ? undefined : this.perUser.get(userId);
    if (existing) return existing;
    const { config } = this.deps;
    const configuration: Configuration = {
      auth: {
        clientId: config.clientId,
        authority: config.authority,
        ...(config.knownAuthorities ? { knownAuthorities: config.knownAuthorities } : {}),
      },
      system: {
        protocolMode: config.protocolMode,
        ...(this.deps.networkClient ? { networkClient: this.deps.networkClient } : {}),
        loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => {} },
      },
    };
    if (userId !== undefined) {
      configuration.cache = {
        cachePlugin: createSealedCachePlugin({
          store: this.deps.store,
          sealer: this.deps.sealer,
          userId,
          onDiscard: (reason) =>
            this.deps.audit.record('identity.token_cache_discarded', 'failure', {
              actor: { userId },
              reason: `token cache discarded: ${reason}`,
            }),
        }),
      };
    }
    const application = new PublicClientApplication(configuration);
    if (userId !== undefined) this.perUser.set(userId, application);
    return application;
  }
}

/** The interactive sign-in ended before the provider answered (page closed, timeout); its message is the whole story. */
class SignInEnded extends Error {}

function describeDuration(ms: number): string {
  if (ms % 60_000 === 0) return ms === 60_000 ? '1 minute' : `${ms / 60_000} minutes`;
  return `${Math.ceil(ms / 1000)} seconds`;
}

function classify(error: unknown, what: string): TokenFailure {
  if (error instanceof SignInEnded) return { ok: false, reason: 'failed', message: error.message };
  const code = (error as { errorCode?: string }).errorCode ?? '';
  const detail = messageOf(error);
  if (error instanceof IdentityNetworkError || UNAVAILABLE_CODES.has(code)) {
    return {
      ok: false,
      reason: 'unavailable',
      message: `${what} failed: the identity provider cannot be reached. Check the network, then try again. (${detail})`,
    };
  }
  if (
    error instanceof InteractionRequiredAuthError ||
    (error instanceof ServerError && code === 'invalid_grant') ||
    code === 'no_tokens_found'
  ) {
    return {
      ok: false,
      reason: 'interaction-required',
      message: `${what} needs a full sign-in: ${detail}`,
      ...(code === 'invalid_grant' ? { grantRefused: true as const } : {}),
    };
  }
  return { ok: false, reason: 'failed', message: `${what} failed: ${detail}` };
}
