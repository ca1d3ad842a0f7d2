import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemRandom } from '../../../../common/random.js';
import { auditPolicySchema } from '../../../../main/audit/forwarding/audit-policy.js';
import { startForwarders } from '../../../../main/audit/forwarding/start-forwarders.js';
import { readEvents } from '../../../../main/audit/journal/journal-reader.js';
import { FhirCollector } from '../support/collectors.js';
import { journalFixture, sampleEvent } from '../support/journal-fixture.js';
import { useTeardown, useTestTls } from '../support/lifecycle.js';
import { until } from '../support/poll.js';

const tls = useTestTls();
const teardown = useTeardown();

/** The trail as the workstation opens it: policy -> journal + FHIR forwarder (startForwarders). */
async function setup() {
  const f = await journalFixture();
  teardown(f.cleanup);
  const collector = new FhirCollector(tls());
  await collector.start();
  teardown(() => collector.stop());
  const caFile = path.join(f.root, 'collector-ca.pem');
  await writeFile(caFile, tls().caPem);
  const policy = auditPolicySchema.parse({
    forwarders: [{ kind: 'fhir', id: 'fhir-audit', baseUrl: collector.baseUrl, tls: { caFile }, site: 'St Example', batchSize: 10, retry: { initialMs: 500, maxMs: 10_000 } }],
  });
  const journal = await f.open();
  teardown(() => journal.close());
  const forwarding = await startForwarders({ journal, destinations: policy.forwarders, cursorDirectory: path.join(f.root, 'audit-forwarding'), clock: f.clock, random: systemRandom });
  teardown(() => forwarding.stop());
  return { f, collector, trail: { journal, status: forwarding.status } };
}

describe('FHIR AuditEvent forwarding over HTTPS', () => {
  it('PUTs each event as the AuditEvent with its stable id, break-glass as Security Alert / Emergency Override Started', async () => {
    const { f, collector, trail } = await setup();
    await trail.journal.append(sampleEvent('breakglass.start', 1, { reason: 'trauma bay 2' }));
    await trail.journal.append(sampleEvent('breakglass.stop', 2));
    await until(() => collector.received.length >= 2, f.clock, 'two AuditEvents');
    const ids = (await readEvents(f.directory, undefined, { maxEvents: 10 })).events.map((e) => e.id);
    expect(collector.requests[0]).toEqual({ method: 'PUT', url: `/fhir/AuditEvent/${ids[0]}`, contentType: 'application/fhir+json' });
    const [start, stop] = collector.received.map((r) => r.body);
    expect(start).toMatchObject({ resourceType: 'AuditEvent', type: { code: '110113' }, subtype: [{ code: '110127' }, { code: 'breakglass.start' }], source: { site: 'St Example' } });
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
    await until(() => trail.status()[0]!.consecutiveFailures >= 3, f.clock, 'three refused attempts', { stepMs: 1_000 });
    expect(trail.status()[0]).toMatchObject({ destination: 'fhir-audit', state: 'waiting-to-retry', deliveredSeq: 0, journalSeq: 25 });
    expect(trail.status()[0]!.lastError).toContain('HTTP 503');
    collector.down = false;
    await until(() => trail.status()[0]!.deliveredSeq === 25, f.clock, 'all 25 delivered', { stepMs: 1_000 });
    const ids = (await readEvents(f.directory, undefined, { maxEvents: 100 })).events.map((e) => e.id);
    expect(collector.received.map((r) => r.id)).toEqual(ids);
  });
});

describe('auditPolicySchema', () => {
  it('fills in documented defaults', () => {
    expect(auditPolicySchema.parse({})).toEqual({
      journal: { maxSegmentBytes: 16 * 1024 * 1024, checkpointEvery: 1000, checkpointIntervalMs: 60_000 },
      forwarders: [],
    });
    const [atna] = auditPolicySchema.parse({ forwarders: [{ kind: 'atna-syslog', id: 'siem', host: 'arr.example.org' }] }).forwarders;
    expect(atna).toMatchObject({ port: 6514, appName: 'careshell', settleMs: 1000, retry: { initialMs: 1000, maxMs: 300_000 }, tls: {} });
  });

  it.each([
    [{ forwarders: [{ kind: 'fhir', id: 'x', baseUrl: 'http://fhir.example.org' }] }, 'forwarders.0.baseUrl', 'must be https://'],
    [{ forwarders: [{ kind: 'atna-syslog', id: 'Bad Id', host: 'h' }] }, 'forwarders.0.id', 'lower-case'],
    [{ forwarders: [{ kind: 'atna-syslog', id: 'a', host: 'h', tls: { certFile: '/c.pem' } }] }, 'forwarders.0.tls', 'certFile and keyFile go together'],
    [{ forwarders: [{ kind: 'atna-syslog', id: 'a', host: 'h' }, { kind: 'fhir', id: 'a', baseUrl: 'https://f' }] }, 'forwarders', 'its own id'],
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
