import { z } from 'zod';

/**
 * The `session` section of a CareShell policy (docs/design.md#session-semantics), in the units an administrator thinks in
 * (seconds, minutes, hours). Every key is optional in a file: what is absent comes from the profile or
 * the built-in default (SESSION_DEFAULTS). The engine converts to milliseconds itself.
 */

export const REVERIFY_METHODS = ['badge', 'badge+pin', 'pin'] as const;
export type ReverifyMethod = (typeof REVERIFY_METHODS)[number];

/** When the lock screen offers a password sign-in (the identity provider) instead of a badge tap. */
export const WITHOUT_BADGE = ['never', 'when-no-reader', 'always'] as const;

const int = (min: number, max: number, unit: string) =>
  z
    .number({ error: `must be a number of ${unit}` })
    .int(`must be a whole number of ${unit}`)
    .min(min, `must be at least ${min} ${unit}`)
    .max(max, `must be at most ${max} ${unit}`);

/** Every key optional and unknown keys rejected, so a typo in a policy file is named instead of ignored. */
export const sessionOverrideSchema = z.strictObject({
  /** Inactivity before the screen locks (the warning countdown is the last part of it). */
  idleTimeoutSeconds: int(30, 3600, 'seconds').optional(),
  /** Length of the visible countdown before an idle lock; 0 locks without warning. */
  warningSeconds: int(0, 300, 'seconds').optional(),
  /** How long a locked (or suspended) session is kept before it is terminated and its state cleared. */
  graceMinutes: int(0, 480, 'minutes').optional(),
  /** Absolute lifetime from the last full verification (a shift); reaching it terminates the session. */
  absoluteLifetimeHours: int(1, 24, 'hours').optional(),
  /** What starts a new session: a badge tap, a tap plus PIN, or a full sign-in with the identity provider. */
  signIn: z.enum(['badge', 'badge+pin', 'full-sign-in']).optional(),
  /** What the owner presents to resume a kept session inside grace. */
  reverifyInGrace: z.enum(REVERIFY_METHODS).optional(),
  /** Signing in with the identity provider's password instead of a badge: never, only while no reader works, or always offered. */
  withoutBadge: z.enum(WITHOUT_BADGE).optional(),
  tapOut: z
    .strictObject({
      /** The signed-in user taps again while active: lock (keep the session), sign out, or ignore. */
      sameUser: z.enum(['lock', 'sign-out', 'ignore']).optional(),
      /** Same-user taps this soon after unlocking are ignored (absorbs double taps). */
      ignoreWithinSeconds: int(0, 60, 'seconds').optional(),
      /** Another user taps while a session is active: switch to them, or only lock (they tap again). */
      otherUser: z.enum(['switch', 'lock']).optional(),
    })
    .optional(),
  switching: z
    .strictObject({
      /** What happens to the previous user's session when another user signs in. */
      previousSession: z.enum(['suspend', 'end']).optional(),
      /** Sessions of other users kept on this workstation. */
      maxSuspended: int(0, 10, 'sessions').optional(),
      /** When the limit is reached: end the oldest suspended session, or refuse the new user. */
      whenFull: z.enum(['end-oldest', 'refuse']).optional(),
    })
    .optional(),
  pin: z
    .strictObject({
      /** Wrong PINs before lockout (counted by the identity PIN service; a full sign-in clears it). */
      maxAttempts: int(3, 10, 'attempts').optional(),
    })
    .optional(),
  display: z
    .strictObject({
      /** The header shows "Locks in m:ss" once less than this is left before an idle lock; 0 never. */
      lockCountdownSeconds: int(0, 3600, 'seconds').optional(),
    })
    .optional(),
});
export type SessionOverride = z.infer<typeof sessionOverrideSchema>;

/** A complete, resolved session section: what the engine runs on. */
export const sessionSettingsSchema = z
  .strictObject({
    idleTimeoutSeconds: int(30, 3600, 'seconds'),
    warningSeconds: int(0, 300, 'seconds'),
    graceMinutes: int(0, 480, 'minutes'),
    absoluteLifetimeHours: int(1, 24, 'hours'),
    signIn: z.enum(['badge', 'badge+pin', 'full-sign-in']),
    reverifyInGrace: z.enum(REVERIFY_METHODS),
    withoutBadge: z.enum(WITHOUT_BADGE),
    tapOut: z.strictObject({
      sameUser: z.enum(['lock', 'sign-out', 'ignore']),
      ignoreWithinSeconds: int(0, 60, 'seconds'),
      otherUser: z.enum(['switch', 'lock']),
    }),
    switching: z.strictObject({
      previousSession: z.enum(['suspend', 'end']),
      maxSuspended: int(0, 10, 'sessions'),
      whenFull: z.enum(['end-oldest', 'refuse']),
    }),
    pin: z.strictObject({ maxAttempts: int(3, 10, 'attempts') }),
    display: z.strictObject({ lockCountdownSeconds: int(0, 3600, 'seconds') }),
  })
  .superRefine((s, ctx) => {
    if (s.warningSeconds >= s.idleTimeoutSeconds) {
      ctx.addIssue({
        code: 'custom',
        path: ['warningSeconds'],
        message: `must be shorter than idleTimeoutSeconds (${s.idleTimeoutSeconds} s): the warning is the last part of the idle timeout`,
      });
    }
  });
export type SessionSettings = z.infer<typeof sessionSettingsSchema>;

/** What the session service is configured with: resolved settings plus the profile they came from. */
export type SessionPolicy = SessionSettings & { profile: string };

/** Built-in defaults (documented in docs/policy.md): a general nurse-station workstation. */
export const SESSION_DEFAULTS: SessionSettings = {
  idleTimeoutSeconds: 300,
  warningSeconds: 30,
  graceMinutes: 20,
  absoluteLifetimeHours: 12,
  signIn: 'badge',
  reverifyInGrace: 'badge',
  withoutBadge: 'when-no-reader',
  tapOut: { sameUser: 'lock', ignoreWithinSeconds: 3, otherUser: 'switch' },
  switching: { previousSession: 'suspend', maxSuspended: 3, whenFull: 'end-oldest' },
  pin: { maxAttempts: 5 },
  display: { lockCountdownSeconds: 120 },
};

/** Layers overrides onto a base, nested sections key by key; later overrides win. */
export function applySessionOverrides(
  base: SessionSettings,
  ...overrides: (SessionOverride | undefined)[]
): SessionSettings {
  let out: SessionSettings = base;
  for (const o of overrides) {
    if (!o) continue;
    out = {
      ...out,
      ...stripUndefined(o),
      tapOut: { ...out.tapOut, ...stripUndefined(o.tapOut ?? {}) },
      switching: { ...out.switching, ...stripUndefined(o.switching ?? {}) },
      pin: { ...out.pin, ...stripUndefined(o.pin ?? {}) },
      display: { ...out.display, ...stripUndefined(o.display ?? {}) },
    } as SessionSettings;
  }
  return out;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
