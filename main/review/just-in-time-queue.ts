import type { JustInTimeReviewEntry } from '../../common/just-in-time-review.js';
import type { AuditEvent } from '../audit/audit-event.js';
import type { ReviewRecord } from './review-record.js';

/** The just-in-time event types the review reads (main/just-in-time/just-in-time-service.ts writes them). */
export const JUST_IN_TIME_REVIEW_TYPES = [
  'jit.request',
  'jit.approve',
  'jit.refuse',
  'jit.start',
  'jit.end',
  'jit.cancel',
] as const;

/** A person as the review names them: by name when the record has it. */
const who = (event: AuditEvent, fallback = ''): string => event.actor?.displayName ?? event.actor?.userId ?? fallback;

const text = (event: AuditEvent, key: string): string | undefined => {
  const value = event.details?.[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
};

/**
 * The review's just-in-time list from audit records: one entry per request (jit.request) at or after `since`,
 * newest first, with its approval or refusal, the approvers turned away, and its grant's start and end. Records
 * arrive at least once, so duplicates (same id) count once.
 */
export function queueJustInTime(records: readonly ReviewRecord[], options: { since: Date }): JustInTimeReviewEntry[] {
  const unique = [...new Map(records.map((r) => [r.id, r])).values()]
    .map((r) => r.event)
    .filter((e) => (JUST_IN_TIME_REVIEW_TYPES as readonly string[]).includes(e.type))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const entries = new Map<string, JustInTimeReviewEntry>();
  for (const event of unique) {
    const requestId = text(event, 'requestId');
    if (!requestId) continue;
    if (event.type === 'jit.request') {
      if (entries.has(requestId) || Date.parse(event.at) < options.since.getTime()) continue;
      entries.set(requestId, {
        requestId,
        requester: {
          userId: event.actor?.userId ?? '',
          displayName: event.actor?.displayName ?? event.actor?.userId ?? '',
        },
        workstation: event.workstation,
        scope: text(event, 'scope') ?? '',
        scopeValue: text(event, 'scopeValue') ?? '',
        purposeCode: text(event, 'purposeCode') ?? '',
        purposeText: text(event, 'purposeText') ?? '',
        requestedAt: event.at,
        durationMinutes: Number(text(event, 'durationMin') ?? 0),
        outcome: 'pending',
        rejectedApprovers: [],
      });
      continue;
    }
    const entry = entries.get(requestId);
    if (!entry) continue;
    if (event.type === 'jit.approve' && event.outcome === 'failure') {
      entry.rejectedApprovers.push({
        approver: who(event, 'unknown badge'),
        why: text(event, 'refusal') ?? event.reason ?? '',
      });
    } else if (event.type === 'jit.approve') {
      entry.approver = who(event);
    } else if (event.type === 'jit.refuse') {
      entry.outcome = 'refused';
      entry.approver = who(event);
      entry.refusalReason = event.reason ?? '';
    } else if (event.type === 'jit.start') {
      const approval = text(event, 'approval');
      if (approval === 'approver' || approval === 'auto') entry.approval = approval;
      const approvedBy = text(event, 'approvedBy');
      // The approval record names the approver; the start only their id.
      if (approvedBy && !entry.approver) entry.approver = approvedBy;
      if (event.outcome === 'failure') {
        if (entry.outcome !== 'granted') entry.outcome = 'failed';
        continue;
      }
      entry.outcome = 'granted';
      const grantId = text(event, 'grantId');
      const expiresAt = text(event, 'expiresAt');
      if (grantId) entry.grantId = grantId;
      if (expiresAt) entry.expiresAt = expiresAt;
      entry.startedAt = event.at;
    } else if (event.type === 'jit.cancel') {
      if (entry.outcome === 'pending') {
        entry.outcome = 'withdrawn';
        if (event.reason) entry.withdrawnWhy = event.reason;
      }
    } else if (event.type === 'jit.end') {
      entry.endedAt = text(event, 'endedAt') ?? event.at;
      const endedBy = text(event, 'endedBy');
      if (endedBy) entry.endedBy = endedBy;
    }
  }
  return [...entries.values()].sort((a, b) => (a.requestedAt < b.requestedAt ? 1 : -1));
}
