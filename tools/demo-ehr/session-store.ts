import type { Clock } from '../../common/clock.js';
import type { Random } from '../../common/random.js';
import type { IdentityClaims } from './idp-client.js';

/**
 * Server-side state behind the EHR's cookie: signed-in sessions, sign-ins in flight (state, nonce, PKCE verifier)
 * and one-time hand-over codes. The cookie holds only a random id, so one browser profile (one CareShell session's
 * cookie jar) is one user, and nothing else is assumed about the browser.
 */

const SESSION_MS = 12 * 60 * 60_000;
const PENDING_MS = 10 * 60_000;
const HANDOVER_MS = 60_000;
const SWEEP_AT = 1_000;

interface Expiring<T> {
  value: T;
  expiresAtMs: number;
}

export interface PendingSignIn {
  codeVerifier: string;
  nonce: string;
  /** Path to return to after sign-in. */
  returnTo: string;
}

function randomToken(random: Random): string {
  return Buffer.from(random.bytes(32)).toString('base64url');
}

class ExpiringMap<T> {
  private readonly entries = new Map<string, Expiring<T>>();

  constructor(private readonly clock: Clock) {}

  put(key: string, value: T, ttlMs: number): void {
    const now = this.clock.monotonicMs();
    // Abandoned sign-ins and hand-overs are never read again: sweep them now and then so they cannot pile up.
    if (this.entries.size >= SWEEP_AT) {
      for (const [k, entry] of this.entries) if (now >= entry.expiresAtMs) this.entries.delete(k);
    }
    this.entries.set(key, { value, expiresAtMs: now + ttlMs });
  }

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.clock.monotonicMs() >= entry.expiresAtMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  take(key: string): T | undefined {
    const value = this.get(key);
    this.entries.delete(key);
    return value;
  }
}

export class SessionStore {
  private readonly sessions: ExpiringMap<IdentityClaims>;
  private readonly pending: ExpiringMap<PendingSignIn>;
  private readonly handovers: ExpiringMap<{ identity: IdentityClaims; returnTo: string }>;

  constructor(
    clock: Clock,
    private readonly random: Random,
  ) {
    this.sessions = new ExpiringMap(clock);
    this.pending = new ExpiringMap(clock);
    this.handovers = new ExpiringMap(clock);
  }

  newToken(): string {
    return randomToken(this.random);
  }

  startSession(identity: IdentityClaims): string {
    const id = randomToken(this.random);
    this.sessions.put(id, identity, SESSION_MS);
    return id;
  }

  session(id: string | undefined): IdentityClaims | undefined {
    return id === undefined ? undefined : this.sessions.get(id);
  }

  endSession(id: string | undefined): void {
    if (id !== undefined) this.sessions.take(id);
  }

  /** Remembers a sign-in in flight under its `state`; returns the state. */
  startSignIn(pending: PendingSignIn): string {
    const state = randomToken(this.random);
    this.pending.put(state, pending, PENDING_MS);
    return state;
  }

  finishSignIn(state: string): PendingSignIn | undefined {
    return this.pending.take(state);
  }

  /** A one-time code that starts a session for this identity when its link is opened within a minute. */
  issueHandover(identity: IdentityClaims, returnTo: string): string {
    const code = randomToken(this.random);
    this.handovers.put(code, { identity, returnTo }, HANDOVER_MS);
    return code;
  }

  redeemHandover(code: string): { identity: IdentityClaims; returnTo: string } | undefined {
    return this.handovers.take(code);
  }
}
