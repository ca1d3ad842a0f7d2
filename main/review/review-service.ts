import type { Clock } from '../../common/clock.js';
import { messageOf } from '../../common/errors.js';
import type { Random } from '../../common/random.js';
import type { ChartOpen, ReviewDecisionRequest, ReviewEpisode, ReviewQueue } from '../../common/break-glass-review.js';
import type { AuditActor, AuditEvent } from '../audit/audit-event.js';
import type { JournalReceipt } from '../audit/journal/audit-journal.js';
import { queueJustInTime } from './just-in-time-queue.js';
import { queueTemporaryStaff } from './temporary-staff-queue.js';
import { FREQUENCY_WINDOW_DAYS, queueEpisodes, type QueuedEpisode } from './review-queue.js';
import type { ReviewSource } from './review-source.js';

const DAY_MS = 86_400_000;

export interface ReviewServiceOptions {
  source: ReviewSource;
  /** The charts a grant opened, from the EHR's access log; absent when no EHR log can be read. */
  chartsOpened?: (ehr: string, grantId: string, token: string) => Promise<ChartOpen[]>;
  /** Where a workstation journals decisions; the command line has no journal and writes to the source only. */
  journal?: { record(event: AuditEvent): Promise<JournalReceipt> };
  clock: Clock;
  random: Random;
  /** Names where a decision was taken (the workstation, or the command line's host). */
  workstation: string;
  /** How many days back the queue lists episodes. */
  windowDays: number;
}

export type DecisionOutcome = { ok: true; message: string } | { ok: false; message: string };

/**
 * The privacy officer's retrospective review (docs/break-glass-review.md): the queue of break-glass episodes
 * from the review source, with the charts each opened from the EHR's access log, and decisions, which are
 * journaled as `breakglass.review` and stored in the review source under the same id.
 */
export class ReviewService {
  constructor(private readonly options: ReviewServiceOptions) {}

  /** Episodes of the last `windowDays`, newest first; `token` (the reviewer's) reads the EHR's access log. */
  async queue(token?: string): Promise<ReviewQueue> {
    const now = this.options.clock.wallTime();
    const since = new Date(now.getTime() - this.options.windowDays * DAY_MS);
    const { records } = await this.options.source.search(new Date(since.getTime() - FREQUENCY_WINDOW_DAYS * DAY_MS));
    const queued = queueEpisodes(records, { since, now });
    const episodes = await Promise.all(queued.map((episode) => this.withCharts(episode, token)));
    return {
      since: since.toISOString(),
      episodes,
      justInTime: queueJustInTime(records, { since }),
      temporaryStaff: queueTemporaryStaff(records, { since }),
    };
  }

  async decide(request: ReviewDecisionRequest, reviewer: AuditActor): Promise<DecisionOutcome> {
    const { journal, source, clock, random, workstation } = this.options;
    const { episodes } = await this.queue();
    const episode = episodes.find((e) => e.grantId === request.grantId);
    if (!episode)
      return {
        ok: false,
        message: `No break-glass episode ${request.grantId} in the last ${this.options.windowDays} days of the review source.`,
      };
    const event: AuditEvent = {
      type: 'breakglass.review',
      at: clock.wallTime().toISOString(),
      workstation,
      actor: reviewer,
      outcome: 'success',
      reason: `break-glass by ${episode.user.displayName} reviewed: ${request.decision}`,
      details: {
        grantId: request.grantId,
        decision: request.decision,
        note: request.note,
        subjectUserId: episode.user.userId,
      },
    };
    // Journaled first: the decision is on record before anyone is told it was taken.
    const receipt = journal ? await journal.record(event) : { id: random.uuid(), seq: 0 };
    try {
      await source.put({ ...receipt, event });
      return { ok: true, message: `Recorded: ${request.decision}.` };
    } catch (error) {
      if (!journal) throw error;
      return {
        ok: true,
        message: `Recorded in the audit trail; the review source could not be reached (${messageOf(error)}) and receives it with the audit forwarding.`,
      };
    }
  }

  private async withCharts(episode: QueuedEpisode, token: string | undefined): Promise<ReviewEpisode> {
    const { ehr, ...rest } = episode;
    const unavailable = (reason: string): ReviewEpisode => ({ ...rest, charts: { state: 'unavailable', reason } });
    if (!ehr) return unavailable('the episode names no EHR');
    if (!this.options.chartsOpened) return unavailable('no EHR access log is configured here');
    if (!token) return unavailable('sign in again to read the EHR access log');
    try {
      const opens = await this.options.chartsOpened(ehr, episode.grantId, token);
      const patients = [...new Set([...episode.patients, ...opens.map((o) => o.patient)])];
      return { ...rest, patients, charts: { state: 'read', opens } };
    } catch (error) {
      return unavailable(messageOf(error));
    }
  }
}
