import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/manual-clock.js';
import { systemRandom } from '../../../common/random.js';
import { auditPolicySchema } from '../../../main/audit/forwarding/audit-policy.js';
import { startForwarders } from '../../../main/audit/forwarding/start-forwarders.js';
import { readEvents } from '../../../main/audit/journal/journal-reader.js';
import { chartsOpenedUnder } from '../../../main/review/ehr-access-log.js';
import { FhirRest } from '../../../main/review/fhir-rest.js';
import { ReviewService } from '../../../main/review/review-service.js';
import { FhirReviewSource } from '../../../main/review/review-source.js';
import { startReviewSource } from '../../../tools/review-source/review-source-server.js';
import { breakGlassStart, breakGlassStop } from '../../support/break-glass-events.js';
import { journalFixture, sampleEvent } from '../audit/support/journal-fixture.js';
import { useTeardown, useTestTls } from '../audit/support/lifecycle.js';
import { until } from '../audit/support/poll.js';

const tls = useTestTls();
const teardown = useTeardown();
const officer = { userId: 'u-privacy-dan', displayName: 'Dan Weber', roles: ['privacy-officer'] };

/** A workstation's trail: its journal and a FHIR forwarder into the review source. */
async function workstationTrail(baseUrl: string, workstation: string) {
  const f = await journalFixture({ workstation });
  teardown(f.cleanup);
  const caFile = path.join(f.root, 'source-ca.pem');
  await writeFile(caFile, tls().caPem);
  const policy = auditPolicySchema.parse({
    forwarders: [{ kind: 'fhir', id: 'review-source', baseUrl, tls: { caFile } }],
  });
  const journal = await f.open();
  teardown(() => journal.close());
  const forwarding = await startForwarders({
    journal,
    destinations: policy.forwarders,
    cursorDirectory: path.join(f.root, 'audit-forwarding'),
    clock: f.clock,
    random: systemRandom,
    workstation,
    log: { warn: () => {} },
  });
  teardown(() => forwarding.stop());
  return { f, journal, delivered: () => forwarding.status()[0]!.deliveredSeq };
}

describe('the review source and the review queue across workstations', () => {
  it('searches break-glass by subtype and date, lists episodes from every workstation, and records decisions', async () => {
    const server = await startReviewSource({ tls: { certPem: tls().certPem, keyPem: tls().keyPem } });
    teardown(() => server.close());
    const cow = await workstationTrail(server.baseUrl, 'COW-3F-12');
    const ed = await workstationTrail(server.baseUrl, 'ED-KIOSK-2');
    const a = {
      grantId: 'bg-a',
      patient: 'Patient/p-1005',
      startedAt: '2026-12-06T01:00:00.000Z',
      workstation: 'COW-3F-12',
    };
    const b = { grantId: 'bg-b', startedAt: '2026-12-06T03:00:00.000Z', workstation: 'ED-KIOSK-2' };
    await cow.journal.append(sampleEvent('session.unlock', 1));
    await cow.journal.append(breakGlassStart(a));
    await cow.journal.append(breakGlassStop(a, '2026-12-06T01:40:00.000Z'));
    await ed.journal.append(breakGlassStart(b));
    await ed.journal.append(
      breakGlassStart({ grantId: 'bg-old', startedAt: '2026-09-01T00:00:00.000Z', workstation: 'ED-KIOSK-2' }),
    );
    await until(() => cow.delivered() >= 3 && ed.delivered() >= 2, cow.f.clock, 'both trails delivered');

    const clock = new ManualClock(new Date('2026-12-06T12:00:00.000Z'));
    const rest = new FhirRest({ ca: tls().caPem, clock, timeoutMs: 5_000 });
    teardown(async () => rest.close());
    const source = new FhirReviewSource(server.baseUrl, rest);
    const searched = await source.search(new Date('2026-12-01T00:00:00.000Z'));
    expect(searched.records.map((r) => r.event.type).sort()).toEqual([
      'breakglass.start',
      'breakglass.start',
      'breakglass.stop',
    ]);
    expect(searched.records.find((r) => r.event.type === 'breakglass.start')?.event.details).toMatchObject({
      attested: true,
      durationMin: 60,
    });

    const decisions = await journalFixture({ workstation: 'PO-DESK-1' });
    teardown(decisions.cleanup);
    const poJournal = await decisions.open();
    teardown(() => poJournal.close());
    const service = new ReviewService({
      source,
      chartsOpened: async (ehr, grantId, token) =>
        grantId === 'bg-b' && token === 'officer-token'
          ? [{ patient: 'Patient/p-1009', what: 'chart', at: '2026-12-06T03:01:00.000Z', opened: true }]
          : [],
      journal: poJournal,
      clock,
      random: systemRandom,
      workstation: 'PO-DESK-1',
      windowDays: 30,
    });
    const queue = await service.queue('officer-token');
    expect(queue.episodes.map((e) => [e.grantId, e.workstation])).toEqual([
      ['bg-b', 'ED-KIOSK-2'],
      ['bg-a', 'COW-3F-12'],
    ]);
    expect(queue.episodes[0]).toMatchObject({ patients: ['Patient/p-1009'], charts: { state: 'read' } });
    expect(queue.episodes[1]).toMatchObject({ minutesInForce: 40, endedBy: 'end-now', patients: ['Patient/p-1005'] });

    const refused = await service.decide({ grantId: 'bg-nope', decision: 'justified', note: 'x' }, officer);
    expect(refused.ok).toBe(false);
    const outcome = await service.decide(
      { grantId: 'bg-a', decision: 'not-justified', note: 'No emergency documented' },
      officer,
    );
    expect(outcome).toEqual({ ok: true, message: 'Recorded: not-justified.' });
    const journaled = (await readEvents(decisions.directory, undefined, { maxEvents: 10 })).events;
    expect(journaled.map((e) => e.event)).toEqual([
      expect.objectContaining({
        type: 'breakglass.review',
        actor: officer,
        details: {
          grantId: 'bg-a',
          decision: 'not-justified',
          note: 'No emergency documented',
          subjectUserId: 'u-nurse-ana',
        },
      }),
    ]);
    expect(server.resources().map((r) => (r as { id: string }).id)).toContain(journaled[0]!.id);
    const after = await service.queue('officer-token');
    expect(after.episodes[1]!.decision).toMatchObject({ decision: 'not-justified', reviewer: 'Dan Weber' });
  });

  it("reads the charts a grant opened from the EHR's access log, with the reviewer's token", async () => {
    const seen: { url?: string; auth?: string } = {};
    const ehr = createServer((req, res) => {
      seen.url = req.url;
      seen.auth = req.headers.authorization;
      res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(
        JSON.stringify({
          resourceType: 'Bundle',
          type: 'searchset',
          entry: [
            {
              resource: {
                recorded: '2026-12-06T01:05:00Z',
                outcome: '0',
                entity: [{ what: { reference: 'Patient/p-2' }, description: 'MedicationRequest?patient=Patient/p-2' }],
              },
            },
            {
              resource: {
                recorded: '2026-12-06T01:02:00Z',
                outcome: '0',
                entity: [{ what: { reference: 'Patient/p-2' }, description: 'chart' }],
              },
            },
          ],
        }),
      );
    });
    await new Promise<void>((resolve) => ehr.listen(0, '127.0.0.1', resolve));
    teardown(() => new Promise((resolve) => ehr.close(resolve)));
    const origin = `http://127.0.0.1:${(ehr.address() as AddressInfo).port}`;
    const rest = new FhirRest({ clock: new ManualClock(), timeoutMs: 5_000 });
    const opens = await chartsOpenedUnder(rest, origin, 'bg-7', 'tok');
    expect(new URL(seen.url!, origin).searchParams.get('policy')).toBe(`${origin}/break-glass/grants/bg-7`);
    expect(seen.auth).toBe('Bearer tok');
    expect(opens.map((o) => o.what)).toEqual(['chart', 'MedicationRequest?patient=Patient/p-2']);
  });
});
