import { z } from 'zod';

/** A time of day on the workstation's local clock, "HH:MM" (24-hour). */
export const timeOfDaySchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day is HH:MM on the 24-hour clock, e.g. 07:00 or 19:30');

/** A shift window in the workstation's local time; an end before the start runs past midnight (a night shift). */
export const shiftWindowSchema = z
  .strictObject({ start: timeOfDaySchema, end: timeOfDaySchema })
  .refine((w) => w.start !== w.end, { message: 'a shift window must not start and end at the same time' });
export type ShiftWindow = z.infer<typeof shiftWindowSchema>;

const roles = z.array(z.string().min(1));

/**
 * `temporaryAccess` (docs/temporary-access.md#temporary-locum-and-agency-staff): who may sponsor temporary staff,
 * which ID-token roles mark a person as temporary (they can only enroll sponsored and time-boxed), how long a
 * sponsorship may last and the shift windows a sponsor may restrict it to.
 */
export const temporaryAccessPolicySchema = z
  .strictObject({
    /** Roles (from the ID token) allowed to sponsor a temporary enrollment; a temporary person never sponsors. */
    sponsorRoles: roles.min(1).default(['charge-nurse']),
    /** Roles that mark a newcomer as temporary staff: they enroll only with a sponsor and an end date. */
    temporaryRoles: roles.min(1).default(['locum', 'agency']),
    /** The longest a sponsorship may last, in days from the enrollment. */
    maxDays: z.number().int().min(1).max(90).default(14),
    /** What the sponsor's choice starts at. */
    defaultDays: z.number().int().min(1).max(90).default(7),
    /** Shift windows a sponsor may restrict the badge to (local time); empty: no windows to choose. */
    shifts: z.array(shiftWindowSchema).max(8).default([]),
    /** Whether the sponsor must pick one of the shift windows (otherwise "any time" is offered too). */
    requireShift: z.boolean().default(false),
    /**
     * For this many days after a sponsorship ended (its enrollment erased), a tap of its badge says so plainly
     * instead of starting a new enrollment; 0: the badge is simply unknown at once.
     */
    refuseEndedBadgeDays: z.number().int().min(0).max(30).default(2),
  })
  .refine((p) => p.defaultDays <= p.maxDays, {
    message: 'defaultDays must not be above maxDays',
    path: ['defaultDays'],
  })
  .refine((p) => !p.requireShift || p.shifts.length > 0, {
    message: 'requireShift needs at least one window in shifts',
    path: ['requireShift'],
  })
  .refine((p) => !p.sponsorRoles.some((r) => p.temporaryRoles.includes(r)), {
    message: 'a role cannot both sponsor and mark temporary staff',
    path: ['sponsorRoles'],
  });
export type TemporaryAccessPolicy = z.infer<typeof temporaryAccessPolicySchema>;

export const DEFAULT_TEMPORARY_ACCESS_POLICY: TemporaryAccessPolicy = temporaryAccessPolicySchema.parse({});

/** Whether ID-token roles mark their holder as temporary staff under this policy. */
export function isTemporaryStaff(policy: TemporaryAccessPolicy, userRoles: readonly string[]): boolean {
  return userRoles.some((r) => policy.temporaryRoles.includes(r));
}
