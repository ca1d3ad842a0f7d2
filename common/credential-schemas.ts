import { z } from 'zod';

/**
 * What a PIN, an authenticator code and a step-up proof look like: checked where the renderer's request
 * enters (preload/contract.ts) and again where any input enters the session engine (main/session/session-input.ts),
 * with the same rule and the same message.
 */
export const pinSchema = z.string().regex(/^\d{4,12}$/, 'A PIN is 4 to 12 digits');

/** A time-based one-time code from an authenticator app. */
export const authenticatorCodeSchema = z.string().regex(/^\d{6}$/, 'An authenticator code is 6 digits');

/** How the user on screen proves it is them before a high-risk action. */
export const stepUpProofSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('idp') }),
  z.object({ method: z.literal('totp'), code: authenticatorCodeSchema }),
  z.object({ method: z.literal('pin'), pin: pinSchema }),
]);
