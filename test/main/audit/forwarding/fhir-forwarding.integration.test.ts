import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemRandom } from '../../../../common/random.js';
import { auditPolicySchema } from '../../../../main/audit/forwarding/audit-policy.js';
import { STALL_AFTER_FAILURES, startForwarders } from '../../../../main/audit/forwarding/start-forwarders.js';
import type { AuditJournal } from '../../../../main/audit/journal/audit-journal.js';
import { readEvents } from '../../../../main/audit/journal/journal-reader.js';
import { FhirCollector } from '../support/collectors.js';
import { journalFixture, sampleEvent } from '../support/journal-fixture.js';
import { useTeardown, useTestTls } from '../support/lifecycle.js';
import { until } from '../support/poll.js';

const tls = useTestTls();
const teardown = useTeardown();

/**
 * The trail as the workstation opens it: policy -> journal + FHIR forwarder (startForwarders). `prepare`
 * runs on the open journal before the forwarder starts.
 */
async function setup(prepare?: (journal: AuditJournal, directory: string) => Promise<void>) {
  const f = await journalFixture();
  teardown(f.cleanup);
  const collector = new FhirCollector(tls());
  await collector.start();
  teardown(() => collector.stop());
  const caFile = path.join(f.root, 'collector-ca.pem');
  await writeFile(caFile, tls().caPem);
  const policy = auditPolicySchema.parse({
    forwarders: [
      {
        kind: 'fhir',
        id: 'fhir-audit',
        baseUrl: collector.baseUrl,
        tls: { caFile },
        site: 'St Example',
        batchSize: 10,
        retry: { initialMs: 500, maxMs: 10_000 },
      },
    ],
  });
  const journal = await f.open();
  teardown(() => journal.close());
  await prepare?.(journal, f.directory);
  const warnings: string[] = [];
  const log = { warn: (message: string) => void warnings.push(message) };
  const forwarding = await startForwarders({
    journal,
    destinations: policy.forwarders,
    cursorDirectory: path.join(f.root, 'audit-forwarding'),
    clock: f.clock,
    random: systemRandom,
    workstation: 'COW-3F-12',
    log,
  });
  teardown(() => forwarding.stop());
  return { f, collector, warnings, trail: { journal, status: forwarding.status } };
}

async function stallEvents(directory: string) {
  return (await readEvents(directory, undefined, { maxEvents: 1000 })).events.filter(
    (e) => e.event.type === 'audit.forwarding_stalled',
  );
}

describe('FHIR AuditEvent forwarding over HTTPS', () => {
  it('PUTs each event as the AuditEvent with its stable id, break-glass as Security Alert / Emergency Override Started', async () => {
    const { f, collector, trail } = await setup();
    await trail.journal.append(sampleEvent('breakglass.start', 1, { reason: 'trauma bay 2' }));
    await trail.journal.append(sampleEvent('breakglass.stop', 2));
    await until(() => collector.received.length >= 2, f.clock, 'two AuditEvents');
    const ids = (await readEvents(f.directory, undefined, { maxEvents: 10 })).events.map((e) => e.id);
    expect(collector.requests[0]).toEqual({
      method: 'PUT',
      url: `/fhir/AuditEvent/${ids[0]}`,
      contentType: 'application/fhir+json',
    });
    const [start, stop] = collector.received.map((r) => r.body);
    expect(start).toMatchObject({
      resourceType: 'AuditEvent',
      type: { code: '110113' },
      subtype: [{ code: '110127' }, { code: 'breakglass.start' }],
      source: { site: 'St Example' },
    });
    expect(stop).toMatchObject({ subtype: [{ code: '110138' }, { code: 'breakglass.stop' }] });
    expect(collector.received.map((r) => r.id)).toEqual(ids);
  });

  it('resends an event whose acknowledgement was lost to the same AuditEvent id: the server holds it once', async () => {
    const { f, collector, trail } = await setup();
    collector.loseResponses = 1;
    for (let n = 0; n < 3; n++) await trail.journal.append(sampleEvent('session.unlock', n));
    await until(() => trail.status()[0]!.deliveredSeq === 3, f.clock, 'all 3 delivered', { stepMs: 1_000 });
    const ids = (await readEvents(f.directory, undefined, { maxEvents: 10 })).events.map((e) => e.id);
    expect(collector.received.map((r) => r.id)).toEqual([ids[0], ...ids]);
    expect([...collector.resources.keys()]).toEqual(ids);
  });

  it('retries while the server answers 503 and then delivers every event once, in order', async () => {
    const { f, collector, trail } = await setup();
    collector.down = true;
    for (let n = 0; n < 25; n++) await trail.journal.append(sampleEvent(n % 2 ? 'pin.failure' : 'session.unlock', n));
    await until(() => trail.status()[0]!.consecutiveFailures >= 3, f.clock, 'three refused attempts', {
      stepMs: 1_000,
    });
    expect(trail.status()[0]).toMatchObject({
      destination: 'fhir-audit',
      state: 'waiting-to-retry',
      deliveredSeq: 0,
      journalSeq: 25,
    });
    expect(trail.status()[0]!.lastError).toContain('HTTP 503');
    collector.down = false;
    await until(() => trail.status()[0]!.deliveredSeq === 25, f.clock, 'all 25 delivered', { stepMs: 1_000 });
    const ids = (await readEvents(f.directory, undefined, { maxEvents: 100 })).events.map((e) => e.id);
    expect(collector.received.map((r) => r.id)).toEqual(ids);
  });
});

describe('a destination that keeps failing at one record', () => {
  it('warns IT and records audit.forwarding_stalled once per stall when the server keeps refusing an event (HTTP 4xx)', async () => {
    const { f, collector, warnings, trail } = await setup();
    const isPinFailure = (body: Record<string, unknown>) =>
      (body.subtype as { code: string }[]).some((c) => c.code === 'pin.failure');
    collector.refuse = (body) => (isPinFailure(body) ? 422 : undefined);
    await trail.journal.append(sampleEvent('session.unlock', 1));
    await trail.journal.append(sampleEvent('pin.failure', 2, { outcome: 'failure' }));
    await trail.journal.append(sampleEvent('session.lock', 3));
    await until(
      () => trail.status()[0]!.consecutiveFailures >= STALL_AFTER_FAILURES + 3,
      f.clock,
      'a stall and three more refusals',
      { stepMs: 1_000 },
    );
    await trail.journal.checkpoint();
    const [pinFailure] = (await readEvents(f.directory, undefined, { maxEvents: 10 })).events.filter(
      (e) => e.event.type === 'pin.failure',
    );
    expect(collector.received.map((r) => r.id)).toHaveLength(1);
    expect(trail.status()[0]).toMatchObject({ stalled: true, deliveredSeq: 1 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      `forwarding to "fhir-audit" is stalled: ${STALL_AFTER_FAILURES} attempts in a row failed at record 2 (${pinFailure!.segment} at byte ${pinFailure!.offset})`,
    );
    expect(warnings[0]).toContain('HTTP 422');
    const stalls = await stallEvents(f.directory);
    expect(stalls).toHaveLength(1);
    expect(stalls[0]!.event).toMatchObject({
      outcome: 'failure',
      workstation: 'COW-3F-12',
      details: {
        destination: 'fhir-audit',
        seq: 2,
        segment: pinFailure!.segment,
        offset: pinFailure!.offset,
        failures: STALL_AFTER_FAILURES,
        lastError: expect.stringContaining('HTTP 422'),
      },
    });
    // Once the server accepts it, everything goes out, the stall report included, and the stall is over.
    collector.refuse = () => undefined;
    await until(
      () => trail.status()[0]!.deliveredSeq === trail.status()[0]!.journalSeq,
      f.clock,
      'everything delivered',
      { stepMs: 1_000 },
    );
    expect(trail.status()[0]).toMatchObject({ stalled: false, consecutiveFailures: 0 });
    // The four events, and the checkpoints that signed them (one or more, by when the journal signed), as
    // audit.checkpoint events the collector witnesses.
    const kinds = [...collector.resources.values()].map((resource) =>
      JSON.stringify(resource).includes('audit.checkpoint'),
    );
    expect(kinds.filter((checkpoint) => !checkpoint)).toHaveLength(4);
    expect(kinds.filter((checkpoint) => checkpoint).length).toBeGreaterThanOrEqual(1);
  });

  it('delivers the events before a record it cannot read, then reports the stall at that record', async () => {
    const { f, collector, warnings, trail } = await setup(async (journal, directory) => {
      for (let n = 1; n <= 3; n++) await journal.append(sampleEvent('session.lock', n));
      // Record 2 garbled in place, to the same length, so the journal keeps appending where it was.
      const file = path.join(
        directory,
        (await readdir(directory)).find((name) => name.startsWith('seg-'))!,
      );
      const lines = (await readFile(file, 'utf8')).split('\n');
      lines[1] = lines[1]!.replace('"type":"session.lock"', '"type":"session.lokk"');
      await writeFile(file, lines.join('\n'));
    });
    await until(() => trail.status()[0]!.stalled, f.clock, 'the stall', { stepMs: 1_000 });
    // Queued behind the stall report, so that is on disk once this resolves.
    await trail.journal.checkpoint();
    const first = (await readEvents(f.directory, undefined, { maxEvents: 1 })).events[0]!;
    expect(collector.received.map((r) => r.id)).toEqual([first.id]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`at record 2 (${first.segment} at byte ${first.next.offset})`);
    const stalls = (
      await readEvents(f.directory, first.next, { maxEvents: 1000, onUnreadable: () => undefined })
    ).events.filter((e) => e.event.type === 'audit.forwarding_stalled');
    expect(stalls).toHaveLength(1);
    expect(stalls[0]!.event.details).toMatchObject({
      seq: 2,
      segment: first.segment,
      offset: first.next.offset,
      lastError: expect.stringContaining('does not match the schema'),
    });
  });
});

describe('auditPolicySchema', () => {
  it('fills in documented defaults', () => {
    expect(auditPolicySchema.parse({})).toEqual({
      journal: { maxSegmentBytes: 16 * 1024 * 1024, checkpointEvery: 1000, checkpointIntervalMs: 60_000 },
      forwarders: [],
    });
    const [atna] = auditPolicySchema.parse({
      forwarders: [{ kind: 'atna-syslog', id: 'siem', host: 'arr.example.org', enterpriseNumber: 64_000 }],
    }).forwarders;
    expect(atna).toMatchObject({
      port: 6514,
      appName: 'careshell',
      settleMs: 1000,
      retry: { initialMs: 1000, maxMs: 300_000 },
      tls: {},
    });
  });

  it.each([
    [
      { forwarders: [{ kind: 'fhir', id: 'x', baseUrl: 'http://fhir.example.org' }] },
      'forwarders.0.baseUrl',
      'must be https://',
    ],
    [
      { forwarders: [{ kind: 'atna-syslog', id: 'Bad Id', host: 'h', enterpriseNumber: 64_000 }] },
      'forwarders.0.id',
      'lower-case',
    ],
    [
      {
        forwarders: [
          { kind: 'atna-syslog', id: 'a', host: 'h', enterpriseNumber: 64_000, tls: { certFile: '/c.pem' } },
        ],
      },
      'forwarders.0.tls',
      'certFile and keyFile go together',
    ],
    [
      {
        forwarders: [
          { kind: 'atna-syslog', id: 'a', host: 'h', enterpriseNumber: 64_000 },
          { kind: 'fhir', id: 'a', baseUrl: 'https://f' },
        ],
      },
      'forwarders',
      'its own id',
    ],
    [
      { forwarders: [{ kind: 'atna-syslog', id: 'a', host: 'h' }] },
      'forwarders.0.enterpriseNumber',
      "set it to your organisation's IANA Private Enterprise Number",
    ],
    [
      { forwarders: [{ kind: 'atna-syslog', id: 'a', host: 'h', enterpriseNumber: 32473 }] },
      'forwarders.0.enterpriseNumber',
      "32473 is IANA's example number, reserved for documentation",
    ],
    [{ journal: { checkpointEvery: 0 } }, 'journal.checkpointEvery', ''],
    [{ jurnal: {} }, '', 'jurnal'],
  ])('rejects %j, naming the key', (input, key, message) => {
    const result = auditPolicySchema.safeParse(input);
    expect(result.success).toBe(false);
    const issue = result.error!.issues[0]!;
    expect(issue.path.join('.')).toBe(key);
    expect(JSON.stringify(issue)).toContain(message);
  });
});
