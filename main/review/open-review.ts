import { readFile } from 'node:fs/promises';
import type { ChartOpen } from '../../common/break-glass-review.js';
import type { Clock } from '../../common/clock.js';
import { messageOf } from '../../common/errors.js';
import type { Random } from '../../common/random.js';
import type { AuditEvent } from '../audit/audit-event.js';
import type { JournalReceipt } from '../audit/journal/audit-journal.js';
import { chartsOpenedUnder } from './ehr-access-log.js';
import { FhirRest } from './fhir-rest.js';
import type { ReviewPolicy } from './review-policy.js';
import { ReviewService } from './review-service.js';
import { FhirReviewSource } from './review-source.js';

/**
 * Reads the charts a grant opened from the EHR's access log, only at the origins policy lists: the origin comes
 * from an audit record, and the reviewer's token goes only where policy says.
 */
export function allowListedChartsReader(
  origins: readonly string[],
  rest: FhirRest,
): (ehr: string, grantId: string, token: string) => Promise<ChartOpen[]> {
  const allowed = new Set(origins.map((origin) => new URL(origin).origin));
  return async (ehr, grantId, token) => {
    if (!URL.canParse(ehr) || !allowed.has(new URL(ehr).origin))
      throw new Error(`${ehr} is not in audit.review.ehrAccessLogOrigins`);
    return chartsOpenedUnder(rest, ehr, grantId, token);
  };
}

export interface OpenedReview {
  service: ReviewService;
  reviewerRole: string;
  close(): void;
}

/**
 * The workstation's break-glass review from `audit.review`: the review source, the EHR access logs the
 * reviewer's token may be sent to, and the journal decisions are recorded in. A CA file that cannot be read
 * fails the start naming the key, like the forwarders' TLS files.
 */
export async function openReview(
  policy: ReviewPolicy,
  deps: {
    clock: Clock;
    random: Random;
    workstation: string;
    journal: { record(event: AuditEvent): Promise<JournalReceipt> };
  },
): Promise<OpenedReview> {
  let ca: string | undefined;
  if (policy.tls.caFile) {
    try {
      ca = await readFile(policy.tls.caFile, 'utf8');
    } catch (error) {
      throw new Error(
        `audit.review.tls.caFile: cannot read ${policy.tls.caFile} (${messageOf(error)}); set it to the PEM file of the CA that signed the review source's certificate, or leave it out to trust the system's CAs.`,
      );
    }
  }
  const source = new FhirRest({ ...(ca ? { ca } : {}), clock: deps.clock, timeoutMs: policy.timeoutMs });
  const ehr = new FhirRest({ clock: deps.clock, timeoutMs: policy.timeoutMs });
  const service = new ReviewService({
    source: new FhirReviewSource(policy.sourceUrl, source, policy.site),
    chartsOpened: allowListedChartsReader(policy.ehrAccessLogOrigins, ehr),
    journal: deps.journal,
    clock: deps.clock,
    random: deps.random,
    workstation: deps.workstation,
    windowDays: policy.windowDays,
  });
  return {
    service,
    reviewerRole: policy.reviewerRole,
    close: () => {
      source.close();
      ehr.close();
    },
  };
}
