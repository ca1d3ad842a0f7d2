import { z } from 'zod';
import { shiftWindowSchema, type ShiftWindow } from './temporary-access-policy.js';

/**
 * What a sponsored enrollment carries (stored in the account record, docs/identity.md#temporary-staff): who vouched
 * for the person, until when, and the shift window the badge works in.
 */
export const temporaryGrantSchema = z.strictObject({
  sponsorUserId: z.string().min(1),
  sponsorName: z.string(),
  /** When the enrollment ends and is erased (ISO 8601, UTC). */
  expiresAt: z.iso.datetime(),
  shift: shiftWindowSchema.optional(),
});
export type TemporaryGrant = z.infer<typeof temporaryGrantSchema>;

/** Why a temporary person is not let in right now. */
export type Admission =
  { ok: true } | { ok: false; why: 'expired'; expiresAt: string } | { ok: false; why: 'off-shift'; shift: ShiftWindow };

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Minutes since local midnight of a wall-clock instant (the workstation's time zone: where the shift is worked). */
export function localMinutes(at: Date): number {
  return at.getHours() * 60 + at.getMinutes();
}

/** Whether a local time of day falls in the window: start inclusive, end exclusive; overnight windows wrap. */
export function inShift(shift: ShiftWindow, minutes: number): boolean {
  const start = minutesOf(shift.start);
  const end = minutesOf(shift.end);
  return start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
}

/**
 * The one rule every way in asks (badge tap, PIN, password sign-in, the end of an enrollment): a temporary person
 * is let in only before the expiry and inside the shift window. Fails closed on an unreadable expiry.
 */
export function admissionAt(grant: TemporaryGrant, now: Date): Admission {
  const expires = Date.parse(grant.expiresAt);
  if (!(now.getTime() < expires)) return { ok: false, why: 'expired', expiresAt: grant.expiresAt };
  if (grant.shift && !inShift(grant.shift, localMinutes(now)))
    return { ok: false, why: 'off-shift', shift: grant.shift };
  return { ok: true };
}

/**
 * Milliseconds from `now` to the next end of the shift window (at most a day), so a session open at the end of
 * the shift can be ended then; undefined without a window.
 */
export function msToShiftEnd(shift: ShiftWindow | undefined, now: Date): number | undefined {
  if (!shift) return undefined;
  const end = new Date(now.getTime());
  end.setHours(Number(shift.end.slice(0, 2)), Number(shift.end.slice(3, 5)), 0, 0);
  if (end.getTime() <= now.getTime()) end.setDate(end.getDate() + 1);
  return end.getTime() - now.getTime();
}

/** The plain sentence a refused temporary person reads (the renderer words it from the notice in their language). */
export function refusalText(admission: Exclude<Admission, { ok: true }>): string {
  return admission.why === 'expired'
    ? `Your temporary access ended on ${admission.expiresAt.slice(0, 10)}. Ask your sponsor or the staffing office.`
    : `Your temporary access works only during your shift (${admission.shift.start}–${admission.shift.end}). Ask your sponsor or the staffing office.`;
}
