import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/manual-clock.js';
import { systemRandom } from '../../../common/random.js';
import type { AuditEvent } from '../../../main/audit/audit-event.js';
import type { FhirRest } from '../../../main/review/fhir-rest.js';
import { allowListedChartsReader, openReview } from '../../../main/review/open-review.js';
import { reviewPolicySchema } from '../../../main/review/review-policy.js';
import { ReviewService } from '../../../main/review/review-service.js';
import type { ReviewSource } from '../../../main/review/review-source.js';
import { breakGlassStart } from '../../support/break-glass-events.js';

const clock = () => new ManualClock(new Date('2026-12-06T12:00:00.000Z'));
const officer = { userId: 'u-privacy-dan', displayName: 'Dan Weber', roles: ['privacy-officer'] };
const start = { id: 'e-1', event: breakGlassStart({ grantId: 'bg-1', startedAt: '2026-12-06T01:00:00.000Z' }) };

/** A review source that holds one episode and whose writes fail: it went down after the search. */
const downForWrites: ReviewSource = {
  search: async () => ({ records: [start], unreadable: [] }),
  put: async () => {
    throw new Error('cannot reach https://fhir.example/r4: ECONNREFUSED');
  },
};

describe('ReviewService decisions when the review source cannot take them', () => {
  it('keeps a workstation decision on record in the journal and says the source gets it later', async () => {
    const journaled: AuditEvent[] = [];
    const service = new ReviewService({
      source: downForWrites,
      journal: { record: async (event) => (journaled.push(event), { id: 'j-1', seq: 1 }) },
      clock: clock(),
      random: systemRandom,
      workstation: 'PO-1',
      windowDays: 30,
    });
    const outcome = await service.decide({ grantId: 'bg-1', decision: 'justified', note: 'ok' }, officer);
    expect(outcome.ok).toBe(true);
    expect(outcome.message).toContain('Recorded in the audit trail; the review source could not be reached');
    expect(journaled.map((e) => e.type)).toEqual(['breakglass.review']);
  });

  it('fails a command-line decision, which has no journal to fall back on', async () => {
    const service = new ReviewService({
      source: downForWrites,
      clock: clock(),
      random: systemRandom,
      workstation: 'careshell-audit@it',
      windowDays: 30,
    });
    await expect(service.decide({ grantId: 'bg-1', decision: 'escalate', note: 'x' }, officer)).rejects.toThrow(
      'ECONNREFUSED',
    );
  });
});

describe('openReview', () => {
  it("sends the reviewer's token to no EHR origin the policy does not list", async () => {
    let requests = 0;
    const rest = { get: async () => (requests++, { resourceType: 'Bundle', entry: [] }) } as unknown as FhirRest;
    const read = allowListedChartsReader(['https://ehr.hospital.example'], rest);
    await expect(read('http://127.0.0.1:4100', 'bg-1', 'secret')).rejects.toThrow(
      'http://127.0.0.1:4100 is not in audit.review.ehrAccessLogOrigins',
    );
    expect(requests).toBe(0);
    expect(await read('https://ehr.hospital.example', 'bg-1', 'secret')).toEqual([]);
    expect(requests).toBe(1);
  });

  it('names the key when the CA file cannot be read', async () => {
    const policy = reviewPolicySchema.parse({
      sourceUrl: 'https://fhir.hospital.example/r4',
      tls: { caFile: '/nonexistent/ca.pem' },
    });
    await expect(
      openReview(policy, {
        clock: clock(),
        random: systemRandom,
        workstation: 'PO-1',
        journal: { record: async () => ({ id: 'x', seq: 1 }) },
      }),
    ).rejects.toThrow('audit.review.tls.caFile: cannot read /nonexistent/ca.pem');
  });

  it('refuses a plain http review source that is not on this machine', () => {
    expect(reviewPolicySchema.safeParse({ sourceUrl: 'http://fhir.hospital.example/r4' }).success).toBe(false);
  });
});
