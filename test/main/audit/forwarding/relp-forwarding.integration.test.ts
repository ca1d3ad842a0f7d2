import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../../common/clock.js';
import { systemRandom } from '../../../../common/random.js';
import type { AuditJournal } from '../../../../main/audit/journal/audit-journal.js';
import { readEvents } from '../../../../main/audit/journal/journal-reader.js';
import { AuditForwarder } from '../../../../main/audit/forwarding/audit-forwarder.js';
import { CursorStore } from '../../../../main/audit/forwarding/cursor-store.js';
import { RelpTlsTransport } from '../../../../main/audit/forwarding/relp-tls-transport.js';
import { formatSyslogMessage } from '../../../../main/audit/forwarding/syslog-frame.js';
import { journalFixture, sampleEvent } from '../support/journal-fixture.js';
import { useTeardown } from '../support/lifecycle.js';
import type { ReceivedLine } from './support/rsyslog.js';
import { collectorPki, Rsyslog, rsyslogMissingReason, waitFor } from './support/rsyslog.js';
import { TcpProxy } from './support/tcp-proxy.js';

const missing = rsyslogMissingReason();
if (missing) console.log(`skipping the RELP tests against rsyslog: ${missing}`);

const teardown = useTeardown();
const WINDOW = 64;

async function setup({ viaProxy = false, withClientCert = true } = {}) {
  const pki = collectorPki();
  const f = await journalFixture();
  teardown(f.cleanup);
  const journal = await f.open();
  teardown(() => journal.close());
  const rsyslog = await Rsyslog.create('relp', pki);
  teardown(() => rsyslog.dispose());
  await rsyslog.start();
  const proxy = new TcpProxy(rsyslog.port);
  if (viaProxy) {
    await proxy.start();
    teardown(() => proxy.stop());
  }
  const forwarder = new AuditForwarder({
    destination: 'arr',
    journal,
    transport: new RelpTlsTransport({
      host: '127.0.0.1',
      port: viaProxy ? proxy.port : rsyslog.port,
      ca: pki.caPem,
      ...(withClientCert ? { cert: pki.workstation.certPem, key: pki.workstation.keyPem } : {}),
      clock: systemClock,
      connectTimeoutMs: 1_000,
      ackTimeoutMs: 1_500,
      window: WINDOW,
      format: (event) => formatSyslogMessage(event, { appName: 'careshell', enterpriseNumber: 64_000 }),
    }),
    cursors: new CursorStore(path.join(f.root, 'audit-forwarding')),
    clock: systemClock,
    random: systemRandom,
    retry: { initialMs: 100, maxMs: 400 },
    batchSize: 200,
    audit: journal,
    workstation: 'COW-3F-12',
    log: { warn: () => undefined },
    stallAfterFailures: 1_000,
  });
  await forwarder.start();
  teardown(() => forwarder.stop());
  return { journal, rsyslog, proxy, forwarder };
}

let appended = 0;
async function append(journal: AuditJournal, count: number) {
  await Promise.all(Array.from({ length: count }, () => journal.append(sampleEvent('session.unlock', appended++))));
}

async function journalIds(journal: AuditJournal) {
  return (await readEvents(journal.directory, undefined, { maxEvents: 100_000 })).events.map((e) => e.id);
}

/** Every journal event arrived (none lost), and how many arrived more than once. */
async function expectAllDelivered(journal: AuditJournal, received: ReceivedLine[]) {
  const ids = await journalIds(journal);
  const got = new Set(received.map((line) => line.eventId));
  expect(ids.filter((id) => !got.has(id))).toEqual([]);
  expect(got.size).toBe(ids.length);
  expect(received.every((line) => line.msgId === 'IHE+RFC-3881')).toBe(true);
  return received.length - got.size;
}

async function allArrived(rsyslog: Rsyslog, journal: AuditJournal, forwarder: AuditForwarder) {
  const head = journal.durableHead().seq;
  const events = (await journalIds(journal)).length;
  await waitFor(
    async () =>
      forwarder.status().deliveredSeq === head &&
      new Set((await rsyslog.received()).map((l) => l.eventId)).size === events,
    `all ${events} events acknowledged and in rsyslog's file`,
  );
}

describe.skipIf(missing !== undefined)("RELP forwarding to Debian's rsyslog (imrelp over mutual TLS)", () => {
  it('delivers every event once, in order, and moves the cursor on the acknowledgements', async () => {
    const { journal, rsyslog, forwarder } = await setup();
    await append(journal, 300);
    await allArrived(rsyslog, journal, forwarder);
    const received = await rsyslog.received();
    expect(await expectAllDelivered(journal, received)).toBe(0);
    expect(received.map((line) => line.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(forwarder.status()).toMatchObject({ deliveredSeq: 300, consecutiveFailures: 0 });
  });

  it('loses nothing when the collector hangs and then crashes, and resends at most a window', async () => {
    const { journal, rsyslog, forwarder } = await setup();
    await append(journal, 200);
    await allArrived(rsyslog, journal, forwarder);
    rsyslog.pause();
    await append(journal, 1_000);
    // No acknowledgement comes while it hangs: the cursor stays where the last one left it.
    await waitFor(() => forwarder.status().consecutiveFailures >= 1, 'the hang to fail a send');
    expect(forwarder.status().deliveredSeq).toBe(200);
    await rsyslog.crash();
    await append(journal, 100);
    const failures = forwarder.status().consecutiveFailures;
    await waitFor(() => forwarder.status().consecutiveFailures > failures, 'a send to fail against the dead collector');
    await rsyslog.start();
    await allArrived(rsyslog, journal, forwarder);
    const duplicates = await expectAllDelivered(journal, await rsyslog.received());
    expect(duplicates).toBeLessThanOrEqual(WINDOW);
  });

  it('loses nothing across an orderly collector restart', async () => {
    const { journal, rsyslog, forwarder } = await setup();
    await append(journal, 200);
    await allArrived(rsyslog, journal, forwarder);
    await rsyslog.stop();
    await append(journal, 300);
    await waitFor(() => forwarder.status().consecutiveFailures >= 1, 'a send to fail while the collector is down');
    await rsyslog.start();
    await allArrived(rsyslog, journal, forwarder);
    expect(await expectAllDelivered(journal, await rsyslog.received())).toBeLessThanOrEqual(WINDOW);
  });

  it('loses nothing when the network is cut in the middle of a stream, and resends at most a window', async () => {
    const { journal, rsyslog, proxy, forwarder } = await setup({ viaProxy: true });
    await append(journal, 200);
    await allArrived(rsyslog, journal, forwarder);
    const streaming = append(journal, 2_000);
    await waitFor(() => forwarder.status().deliveredSeq > 400, 'the stream to get going');
    proxy.cut();
    await streaming;
    await waitFor(() => forwarder.status().consecutiveFailures >= 2, 'sends to fail while the link is down');
    expect(forwarder.status().deliveredSeq).toBeLessThan(2_200);
    proxy.heal();
    await allArrived(rsyslog, journal, forwarder);
    const duplicates = await expectAllDelivered(journal, await rsyslog.received());
    expect(duplicates).toBeLessThanOrEqual(WINDOW);
  });

  it('is refused by a collector that requires a client certificate when the workstation has none', async () => {
    const { journal, rsyslog, forwarder } = await setup({ withClientCert: false });
    await append(journal, 1);
    await waitFor(() => forwarder.status().consecutiveFailures >= 1, 'the session to be refused');
    expect(forwarder.status()).toMatchObject({ deliveredSeq: 0 });
    expect(await rsyslog.received()).toEqual([]);
  });
});
