import type { TemporaryStaffReviewEntry } from '../../common/temporary-staff-review.js';
import type { AuditEvent } from '../audit/audit-event.js';
import type { ReviewRecord } from './review-record.js';

/** The temporary staff event types the review reads (main/identity/enrollment and main/temporary-access write them). */
export const TEMPORARY_STAFF_REVIEW_TYPES = ['temporary.enroll', 'temporary.expire'] as const;

const text = (event: AuditEvent, key: string): string | undefined => {
  const value = event.details?.[key];
  return typeof value === 'string' ? value : undefined;
};

/**
 * The review's temporary staff list from audit records: one entry per sponsored enrollment (temporary.enroll, whose
 * actor is the sponsor) at or after `since`, newest first, with its end (temporary.expire of the same person and
 * expiry, whose actor is the temporary person). Records arrive at least once, so duplicates (same id) count once.
 */
export function queueTemporaryStaff(
  records: readonly ReviewRecord[],
  options: { since: Date },
): TemporaryStaffReviewEntry[] {
  const events = [...new Map(records.map((r) => [r.id, r])).values()]
    .map((r) => r.event)
    .filter((e) => (TEMPORARY_STAFF_REVIEW_TYPES as readonly string[]).includes(e.type) && e.outcome === 'success')
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const entries = new Map<string, TemporaryStaffReviewEntry>();
  const key = (userId: string, expiresAt: string) => `${userId}\n${expiresAt}`;
  for (const event of events) {
    const expiresAt = text(event, 'expiresAt');
    if (!expiresAt) continue;
    if (event.type === 'temporary.enroll') {
      const userId = text(event, 'subjectUserId');
      if (!userId || Date.parse(event.at) < options.since.getTime()) continue;
      const shift = text(event, 'shift');
      entries.set(key(userId, expiresAt), {
        person: { userId, displayName: text(event, 'subjectName') ?? userId },
        sponsor: {
          userId: event.actor?.userId ?? text(event, 'sponsorUserId') ?? '',
          displayName: event.actor?.displayName ?? event.actor?.userId ?? '',
        },
        workstation: event.workstation,
        enrolledAt: event.at,
        expiresAt,
        ...(shift ? { shift } : {}),
      });
      continue;
    }
    const entry = event.actor?.userId ? entries.get(key(event.actor.userId, expiresAt)) : undefined;
    if (!entry) continue;
    entry.endedAt = event.at;
    if (event.reason) entry.endedWhy = event.reason;
  }
  return [...entries.values()].sort((a, b) => (a.enrolledAt < b.enrolledAt ? 1 : -1));
}
