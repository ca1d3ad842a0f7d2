import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../../common/clock.js';
import { RelpTlsTransport } from '../../../../main/audit/forwarding/relp-tls-transport.js';
import { formatSyslogMessage } from '../../../../main/audit/forwarding/syslog-frame.js';
import { useTeardown } from '../support/lifecycle.js';
import type { ReceivedLine } from './support/rsyslog.js';
import { rsyslogMissingReason, waitFor } from './support/rsyslog.js';
import { rsyslogFixture } from './support/rsyslog-fixture.js';
import { TcpProxy } from './support/tcp-proxy.js';

const missing = rsyslogMissingReason();
if (missing) console.log(`skipping the RELP tests against rsyslog: ${missing}`);

const teardown = useTeardown();
const WINDOW = 64;

async function setup({ viaProxy = false, withClientCert = true } = {}) {
  const fixture = await rsyslogFixture('relp', teardown);
  const { rsyslog } = fixture;
  const proxy = new TcpProxy(rsyslog.port);
  if (viaProxy) {
    await proxy.start();
    teardown(() => proxy.stop());
  }
  const { cert, key, ...endpoint } = rsyslog.clientEndpoint(viaProxy ? proxy.port : rsyslog.port);
  const transport = new RelpTlsTransport({
    ...endpoint,
    ...(withClientCert ? { cert, key } : {}),
    clock: systemClock,
    connectTimeoutMs: 1_000,
    ackTimeoutMs: 1_500,
    window: WINDOW,
    format: (event) => formatSyslogMessage(event, { appName: 'careshell', enterpriseNumber: 64_000 }),
  });
  return { ...fixture, proxy, forwarder: await fixture.forwarder(transport, 200) };
}

type Fixture = Awaited<ReturnType<typeof setup>>;

/** Every journal event arrived (none lost), and how many arrived more than once. */
async function expectAllDelivered({ journalEvents }: Fixture, received: ReceivedLine[]) {
  const ids = (await journalEvents()).map((event) => event.id);
  const got = new Set(received.map((line) => line.eventId));
  expect(ids.filter((id) => !got.has(id))).toEqual([]);
  expect(got.size).toBe(ids.length);
  expect(received.every((line) => line.msgId === 'IHE+RFC-3881')).toBe(true);
  return received.length - got.size;
}

async function allArrived({ rsyslog, journal, forwarder, journalEvents }: Fixture) {
  const head = journal.durableHead().seq;
  const events = (await journalEvents()).length;
  await waitFor(
    async () =>
      forwarder.status().deliveredSeq === head &&
      new Set((await rsyslog.received()).map((l) => l.eventId)).size === events,
    `all ${events} events acknowledged and in rsyslog's file`,
  );
}

describe.skipIf(missing !== undefined)("RELP forwarding to Debian's rsyslog (imrelp over mutual TLS)", () => {
  it('delivers every event once, in order, and moves the cursor on the acknowledgements', async () => {
    const fixture = await setup();
    const { append, rsyslog, forwarder } = fixture;
    await append(300);
    await allArrived(fixture);
    const received = await rsyslog.received();
    expect(await expectAllDelivered(fixture, received)).toBe(0);
    expect(received.map((line) => line.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(forwarder.status()).toMatchObject({ deliveredSeq: 300, consecutiveFailures: 0 });
  });

  it('loses nothing when the collector hangs and then crashes, and resends at most a window', async () => {
    const fixture = await setup();
    const { append, rsyslog, forwarder } = fixture;
    await append(200);
    await allArrived(fixture);
    rsyslog.pause();
    await append(1_000);
    // No acknowledgement comes while it hangs: the cursor stays where the last one left it.
    await waitFor(() => forwarder.status().consecutiveFailures >= 1, 'the hang to fail a send');
    expect(forwarder.status().deliveredSeq).toBe(200);
    await rsyslog.crash();
    await append(100);
    const failures = forwarder.status().consecutiveFailures;
    await waitFor(() => forwarder.status().consecutiveFailures > failures, 'a send to fail against the dead collector');
    await rsyslog.start();
    await allArrived(fixture);
    const duplicates = await expectAllDelivered(fixture, await rsyslog.received());
    expect(duplicates).toBeLessThanOrEqual(WINDOW);
  });

  it('loses nothing across an orderly collector restart', async () => {
    const fixture = await setup();
    const { append, rsyslog, forwarder } = fixture;
    await append(200);
    await allArrived(fixture);
    await rsyslog.stop();
    await append(300);
    await waitFor(() => forwarder.status().consecutiveFailures >= 1, 'a send to fail while the collector is down');
    await rsyslog.start();
    await allArrived(fixture);
    expect(await expectAllDelivered(fixture, await rsyslog.received())).toBeLessThanOrEqual(WINDOW);
  });

  it('loses nothing when the network is cut in the middle of a stream, and resends at most a window', async () => {
    const fixture = await setup({ viaProxy: true });
    const { append, rsyslog, proxy, forwarder } = fixture;
    await append(200);
    await allArrived(fixture);
    const streaming = append(2_000);
    await waitFor(() => forwarder.status().deliveredSeq > 400, 'the stream to get going');
    proxy.cut();
    await streaming;
    await waitFor(() => forwarder.status().consecutiveFailures >= 2, 'sends to fail while the link is down');
    expect(forwarder.status().deliveredSeq).toBeLessThan(2_200);
    proxy.heal();
    await allArrived(fixture);
    const duplicates = await expectAllDelivered(fixture, await rsyslog.received());
    expect(duplicates).toBeLessThanOrEqual(WINDOW);
  });

  it('sends again, with their ids, the events whose acknowledgements the network lost, and no more than a window', async () => {
    const fixture = await setup({ viaProxy: true });
    const { append, rsyslog, proxy, forwarder } = fixture;
    await append(200);
    await allArrived(fixture);
    // The collector still receives and stores, but its answers no longer come back.
    proxy.cut('answers');
    await append(300);
    await waitFor(async () => (await rsyslog.received()).length > 200, 'messages stored whose answers were lost');
    await waitFor(() => forwarder.status().consecutiveFailures >= 1, 'the missing answers to fail a send');
    expect(forwarder.status().deliveredSeq).toBe(200);
    proxy.heal();
    await allArrived(fixture);
    const duplicates = await expectAllDelivered(fixture, await rsyslog.received());
    expect(duplicates).toBeGreaterThan(0);
    expect(duplicates).toBeLessThanOrEqual(WINDOW);
  });

  it('is refused by a collector that requires a client certificate when the workstation has none', async () => {
    const fixture = await setup({ withClientCert: false });
    const { append, rsyslog, forwarder } = fixture;
    await append(1);
    await waitFor(() => forwarder.status().consecutiveFailures >= 1, 'the session to be refused');
    expect(forwarder.status()).toMatchObject({ deliveredSeq: 0 });
    expect(await rsyslog.received()).toEqual([]);
  });
});
