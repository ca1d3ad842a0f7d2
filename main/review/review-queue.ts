import type { ReviewEpisode } from '../../common/break-glass-review.js';
import {
  breakGlassReviewSchema,
  breakGlassStopSchema,
  isGrantedBreakGlass,
  readBreakGlassStart,
} from '../audit/break-glass-details.js';
import type { ReviewRecord } from './review-record.js';

/** An episode before the EHR's access log is read: the charts come from another server. */
export type QueuedEpisode = Omit<ReviewEpisode, 'charts'> & { ehr?: string };

const DAY_MS = 86_400_000;
/** How far back the break-glass frequency of a user is counted. */
export const FREQUENCY_WINDOW_DAYS = 30;

const minutesBetween = (from: string, to: number) => Math.max(0, Math.round((to - Date.parse(from)) / 60_000));

/**
 * The review queue from break-glass audit records (docs/break-glass-review.md#review-queue): one episode per
 * granted start at or after `since`, newest first, with its end, its latest decision and the user's episode
 * count over the 30 days up to it. Records arrive at least once, so duplicates (same id) count once; `records`
 * should reach 30 days before `since` for the counts to be whole.
 */
export function queueEpisodes(records: readonly ReviewRecord[], options: { since: Date; now: Date }): QueuedEpisode[] {
  const unique = [...new Map(records.map((r) => [r.id, r])).values()].sort((a, b) =>
    a.event.at < b.event.at ? -1 : a.event.at > b.event.at ? 1 : 0,
  );
  const stops = new Map<string, { endedBy: string; endedAt: string }>();
  const decisions = new Map<string, NonNullable<ReviewEpisode['decision']>>();
  const startsByUser = new Map<string, number[]>();
  const starts: ReviewRecord[] = [];
  const grantOf = (record: ReviewRecord) => {
    const grant = record.event.details?.grantId;
    return typeof grant === 'string' && grant ? grant : `record:${record.id}`;
  };
  const seenGrants = new Set<string>();
  for (const record of unique) {
    const { event } = record;
    if (isGrantedBreakGlass(event)) {
      // One episode per grant, whatever else carries its id.
      if (seenGrants.has(grantOf(record))) continue;
      seenGrants.add(grantOf(record));
      starts.push(record);
      const user = event.actor?.userId ?? '';
      startsByUser.set(user, [...(startsByUser.get(user) ?? []), Date.parse(event.at)]);
    } else if (event.type === 'breakglass.stop') {
      const stop = breakGlassStopSchema.safeParse(event.details ?? {});
      if (stop.success && !stops.has(stop.data.grantId))
        stops.set(stop.data.grantId, { endedBy: stop.data.endedBy, endedAt: stop.data.endedAt });
    } else if (event.type === 'breakglass.review') {
      const review = breakGlassReviewSchema.safeParse(event.details ?? {});
      if (review.success)
        decisions.set(review.data.grantId, {
          decision: review.data.decision,
          note: review.data.note,
          reviewer: event.actor?.displayName ?? event.actor?.userId ?? 'unknown reviewer',
          at: event.at,
        });
    }
  }
  const now = options.now.getTime();
  const episodes: QueuedEpisode[] = [];
  for (const record of starts) {
    const { event } = record;
    const startedMs = Date.parse(event.at);
    if (startedMs < options.since.getTime()) continue;
    const grantId = grantOf(record);
    const userId = event.actor?.userId ?? '';
    const read = readBreakGlassStart(event);
    const start = read.ok ? read.start : undefined;
    const plannedMinutes = start?.durationMin ?? 0;
    const expiresAt = start?.expiresAt ?? event.at;
    const stop = stops.get(grantId);
    const expiresMs = Date.parse(expiresAt);
    const active = !stop && now < expiresMs;
    const endMs = stop ? Date.parse(stop.endedAt) : Math.min(now, expiresMs);
    const decision = decisions.get(grantId);
    episodes.push({
      grantId,
      user: { userId, displayName: event.actor?.displayName ?? userId },
      workstation: event.workstation,
      patients: start?.patient ? [start.patient] : [],
      scope: start?.scope ?? 'all-restricted',
      reasonCode: start?.reasonCode ?? '',
      reasonText: start?.reasonText ?? (read.ok ? '' : `(the record's details could not be read: ${read.problem})`),
      attested: start?.attested ?? false,
      ...(start?.stepUp ? { stepUp: start.stepUp } : {}),
      ...(start?.cosignedBy ? { cosignedBy: start.cosignedBy } : {}),
      startedAt: event.at,
      expiresAt,
      plannedMinutes,
      ...(stop ? { endedBy: stop.endedBy, endedAt: stop.endedAt } : {}),
      minutesInForce: minutesBetween(event.at, endMs),
      active,
      episodesIn30Days: (startsByUser.get(userId) ?? []).filter(
        (t) => t <= startedMs && t > startedMs - FREQUENCY_WINDOW_DAYS * DAY_MS,
      ).length,
      ...(decision ? { decision } : {}),
      ...(start?.ehr ? { ehr: start.ehr } : {}),
    });
  }
  return episodes.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
}
