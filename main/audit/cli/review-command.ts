import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import {
  REVIEW_DECISIONS,
  reviewDecisionRequestSchema,
  type ReviewEpisode,
} from '../../../common/break-glass-review.js';
import { systemClock } from '../../../common/clock.js';
import { systemRandom } from '../../../common/random.js';
import { FhirRest, isAllowedFhirUrl } from '../../review/fhir-rest.js';
import type { ReviewRecord } from '../../review/review-record.js';
import { ReviewService } from '../../review/review-service.js';
import { FhirReviewSource, type ReviewSource } from '../../review/review-source.js';
import type { JournalPosition } from '../journal/audit-journal.js';
import { readEvents } from '../journal/journal-reader.js';

export const REVIEW_USAGE = `  review list   (--source URL [--ca FILE] | --dir D) [--days N] [--json]
          Break-glass episodes of the last N days (default 30), newest first, from the review source
          (FHIR base URL) or from one workstation's journal.
  review decide --source URL [--ca FILE] --grant ID --decision ${REVIEW_DECISIONS.join('|')}
                --note TEXT --reviewer USER-ID [--reviewer-name NAME]
          Records a privacy officer's decision in the review source as a breakglass.review AuditEvent.
`;

export class ReviewUsageError extends Error {}

/** A workstation's journal read as a review source (read-only): for IT holding a copied journal. */
function journalSource(dir: string, io: { stderr(text: string): void }): ReviewSource {
  return {
    async search(since) {
      const records: ReviewRecord[] = [];
      let position: JournalPosition | undefined;
      for (;;) {
        const page = await readEvents(dir, position, {
          maxEvents: 10_000,
          onUnreadable: (problem) => io.stderr(`careshell-audit: left out ${problem.message}\n`),
        });
        for (const stored of page.events)
          if (
            (stored.event.type.startsWith('breakglass.') || stored.event.type.startsWith('jit.')) &&
            Date.parse(stored.event.at) >= since.getTime()
          )
            records.push({ id: stored.id, event: stored.event });
        if (page.events.length < 10_000) break;
        position = page.next;
      }
      return { records, unreadable: [] };
    },
    async put() {
      throw new ReviewUsageError('decisions go to the review source: pass --source, not --dir.');
    },
  };
}

function describeEpisode(e: ReviewEpisode): string {
  const ended = e.active ? 'still active' : e.endedBy ? `ended by ${e.endedBy}` : 'expired (no end recorded)';
  const charts =
    e.charts.state === 'read' ? `${e.charts.opens.length} chart open(s)` : `charts not read here (${e.charts.reason})`;
  const decision = e.decision
    ? `${e.decision.decision} by ${e.decision.reviewer} at ${e.decision.at}: ${e.decision.note}`
    : 'NOT REVIEWED';
  return [
    `${e.grantId}  ${e.startedAt}  ${e.user.displayName} (${e.user.userId}) at ${e.workstation}`,
    `  patient(s): ${e.patients.join(', ') || (e.scope === 'all-restricted' ? 'all restricted charts' : '-')}`,
    `  reason: ${e.reasonCode}: ${e.reasonText}; attested: ${e.attested ? 'yes' : 'NO'}`,
    `  ${e.minutesInForce} of ${e.plannedMinutes} min, ${ended}; ${e.episodesIn30Days} episode(s) in 30 days; ${charts}`,
    `  decision: ${decision}`,
  ].join('\n');
}

/** `careshell-audit review ...` (docs/break-glass-review.md#command-line); returns the exit code. */
export async function runReviewCommand(
  argv: readonly string[],
  io: { stdout(text: string): void; stderr(text: string): void },
): Promise<number> {
  const [action, ...args] = argv;
  const { values } = parseArgs({
    args,
    options: {
      source: { type: 'string' },
      ca: { type: 'string' },
      dir: { type: 'string' },
      days: { type: 'string' },
      json: { type: 'boolean' },
      grant: { type: 'string' },
      decision: { type: 'string' },
      note: { type: 'string' },
      reviewer: { type: 'string' },
      'reviewer-name': { type: 'string' },
    },
    strict: true,
  });
  if (action !== 'list' && action !== 'decide') throw new ReviewUsageError('review needs "list" or "decide".');
  if (values.source !== undefined && !isAllowedFhirUrl(values.source))
    throw new ReviewUsageError('--source must be the https:// FHIR base URL of the review source.');
  if (!values.source && (action === 'decide' || !values.dir))
    throw new ReviewUsageError(
      action === 'decide' ? 'review decide needs --source.' : 'review list needs --source or --dir.',
    );
  const days = Number(values.days ?? '30');
  if (!Number.isInteger(days) || days < 1 || days > 366)
    throw new ReviewUsageError(`--days needs a whole number from 1 to 366, not "${values.days}".`);
  const fhir = values.source
    ? new FhirRest({
        ...(values.ca ? { ca: await readFile(values.ca, 'utf8') } : {}),
        clock: systemClock,
        timeoutMs: 15_000,
      })
    : undefined;
  const source = values.source && fhir ? new FhirReviewSource(values.source, fhir) : journalSource(values.dir!, io);
  const service = new ReviewService({
    source,
    clock: systemClock,
    random: systemRandom,
    workstation: `careshell-audit@${hostname()}`,
    windowDays: days,
  });
  try {
    if (action === 'list') {
      const queue = await service.queue();
      if (values.json) io.stdout(`${JSON.stringify(queue)}\n`);
      else {
        io.stdout(`${queue.episodes.length} break-glass episode(s) since ${queue.since}\n`);
        for (const episode of queue.episodes) io.stdout(`\n${describeEpisode(episode)}\n`);
      }
      return 0;
    }
    if (!values.reviewer) throw new ReviewUsageError('review decide needs --reviewer: your user id.');
    const request = reviewDecisionRequestSchema.safeParse({
      grantId: values.grant,
      decision: values.decision,
      note: values.note,
    });
    if (!request.success)
      throw new ReviewUsageError(
        request.error.issues.map((i) => `--${String(i.path[0]).replace('grantId', 'grant')}: ${i.message}`).join('; '),
      );
    const outcome = await service.decide(request.data, {
      userId: values.reviewer,
      ...(values['reviewer-name'] ? { displayName: values['reviewer-name'] } : {}),
      roles: ['privacy-officer'],
    });
    (outcome.ok ? io.stdout : io.stderr)(`${outcome.ok ? '' : 'careshell-audit: '}${outcome.message}\n`);
    return outcome.ok ? 0 : 1;
  } finally {
    fhir?.close();
  }
}
