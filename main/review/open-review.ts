import { readFile } from 'node:fs/promises';
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
  const allowed = new Set(policy.ehrAccessLogOrigins.map((origin) => new URL(origin).origin));
  const service = new ReviewService({
    source: new FhirReviewSource(policy.sourceUrl, source, policy.site),
    chartsOpened: async (origin, grantId, token) => {
      // The origin comes from an audit record; the reviewer's token goes only where policy says.
      if (!allowed.has(new URL(origin).origin)) throw new Error(`${origin} is not in audit.review.ehrAccessLogOrigins`);
      return chartsOpenedUnder(ehr, origin, grantId, token);
    },
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
