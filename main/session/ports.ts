/**
 * What the session engine needs from identity (implemented by the identity area): who owns a badge,
 * whether a PIN is right, and a full sign-in with the identity provider.
 */
export interface DirectoryUser {
  userId: string;
  displayName: string;
  roles: string[];
}

export interface UserDirectory {
  resolveBadge(badgeHash: string): Promise<DirectoryUser | undefined>;
}

export type PinResult =
  | { ok: true }
  | { ok: false; reason: 'wrong'; attemptsLeft: number }
  | { ok: false; reason: 'locked-out'; retryInMs: number };

/** Identity owns counting, backoff and persistence of failures; the engine shows and audits the result. */
export interface PinService {
  verify(userId: string, pin: string): Promise<PinResult>;
}

/** Full sign-in with the identity provider (absolute lifetime reached, PIN lockout, step-up). */
export interface Authenticator {
  fullSignIn(request: {
    reason: string;
    expectedUserId?: string;
  }): Promise<{ ok: true; user: DirectoryUser } | { ok: false; message: string }>;
}
