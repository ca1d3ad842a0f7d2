import path from 'node:path';
// @ts-expect-error -- jsdom ships no types and @types/jsdom is not a dependency; only its XML DOMParser is used here.
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { systemRandom } from '../../../../common/random.js';
import type { AuditJournal } from '../../../../main/audit/journal/audit-journal.js';
import { readEvents } from '../../../../main/audit/journal/journal-reader.js';
import { AuditForwarder } from '../../../../main/audit/forwarding/audit-forwarder.js';
import { CursorStore } from '../../../../main/audit/forwarding/cursor-store.js';
import { formatSyslogMessage } from '../../../../main/audit/forwarding/syslog-frame.js';
import { SyslogTlsTransport } from '../../../../main/audit/forwarding/syslog-tls-transport.js';
import { SyslogCollector, testTls } from '../support/collectors.js';
import { journalFixture, sampleEvent } from '../support/journal-fixture.js';
import { useTeardown, useTestTls } from '../support/lifecycle.js';
import { until } from '../support/poll.js';

const tls = useTestTls();
const teardown = useTeardown();

async function setup({ resendWindowBytes = 16 * 1024 * 1024 } = {}) {
  const f = await journalFixture();
  teardown(f.cleanup);
  const journal = await f.open();
  teardown(() => journal.close());
  const collector = new SyslogCollector(tls());
  await collector.start();
  teardown(() => collector.stop());
  const forwarder = (caPem = tls().caPem) =>
    new AuditForwarder({
      destination: 'siem',
      journal,
      transport: new SyslogTlsTransport({
        host: '127.0.0.1',
        port: collector.port,
        ca: caPem,
        clock: f.clock,
        settleMs: 200,
        connectTimeoutMs: 5_000,
        resendWindowBytes,
        format: (event) =>
          formatSyslogMessage(event, {
            appName: 'careshell',
            enterpriseNumber: 64_000,
            enterpriseSiteId: 'St Example',
          }),
      }),
      cursors: new CursorStore(path.join(f.directory, 'cursors')),
      clock: f.clock,
      random: systemRandom,
      retry: { initialMs: 1_000, maxMs: 30_000 },
      batchSize: 50,
      audit: journal,
      workstation: 'COW-3F-12',
      log: { warn: () => undefined },
      stallAfterFailures: 10,
    });
  return { f, journal, collector, forwarder };
}

async function journalIds(journal: AuditJournal) {
  return (await readEvents(journal.directory, undefined, { maxEvents: 100_000 })).events.map((e) => e.id);
}

describe('IHE ATNA forwarding (RFC 5424 over TLS, RFC 5425 octet counting)', () => {
  it('delivers each event as a DICOM audit message the collector can parse', async () => {
    const { f, journal, collector, forwarder } = await setup();
    const atna = forwarder();
    await atna.start();
    teardown(() => atna.stop());
    await journal.append(sampleEvent('session.sign_in', 1));
    await journal.append(sampleEvent('pin.failure', 2, { outcome: 'failure', reason: 'wrong PIN' }));
    await until(() => collector.messages.length >= 2, f.clock, 'two syslog messages');
    expect(collector.errors).toEqual([]);
    const [signIn, pinFailure] = collector.messages;
    expect(signIn).toMatchObject({
      pri: 85,
      hostname: 'COW-3F-12',
      appName: 'careshell',
      msgId: 'IHE+RFC-3881',
      seq: 1,
      hadBom: true,
      timestamp: sampleEvent('session.sign_in', 1).at,
    });
    expect(pinFailure).toMatchObject({ pri: 84, seq: 2 });
    expect(collector.messages.map((m) => m.eventId)).toEqual(await journalIds(journal));
    const doc = new new JSDOM('').window.DOMParser().parseFromString(pinFailure!.xml, 'application/xml');
    expect(doc.querySelector('EventIdentification').getAttribute('EventOutcomeIndicator')).toBe('4');
    expect(doc.querySelector('EventID').getAttribute('csd-code')).toBe('110114');
    expect(doc.querySelector('EventOutcomeDescription').textContent).toBe('wrong PIN');
    // The cursor moves before the pass looks once more for new events and ends, so wait for the pass to end too.
    await until(
      () => atna.status().deliveredSeq === 2 && atna.status().state === 'idle',
      f.clock,
      'the cursor to reach seq 2 and the pass to end',
    );
    expect(atna.status()).toMatchObject({ state: 'idle', deliveredSeq: 2, journalSeq: 2, consecutiveFailures: 0 });
  });

  it('keeps events on disk while the collector is down and delivers all of them, in order, when it returns', async () => {
    const { f, journal, collector, forwarder } = await setup();
    const atna = forwarder();
    await atna.start();
    teardown(() => atna.stop());
    for (let n = 0; n < 5; n++) await journal.append(sampleEvent('session.lock', n));
    await until(() => atna.status().deliveredSeq === 5, f.clock, 'the first five events acknowledged');
    const port = collector.port;
    await collector.stop();
    for (let n = 5; n < 40; n++) await journal.append(sampleEvent('session.unlock', n));
    await until(() => atna.status().consecutiveFailures >= 4, f.clock, 'four failed attempts', { stepMs: 2_000 });
    // The first five may have been lost with the connection (they are within the resend window): back to seq 0.
    expect(atna.status()).toMatchObject({ state: 'waiting-to-retry', deliveredSeq: 0, journalSeq: 40 });
    expect(atna.status().lastError).toMatch(/ATNA collector at 127\.0\.0\.1:\d+/);
    await collector.start(port);
    const ids = await journalIds(journal);
    await until(
      () => ids.every((id) => collector.messages.some((m) => m.eventId === id)),
      f.clock,
      'every event after the outage',
      { stepMs: 2_000 },
    );
    // At-least-once: what the outage may have cut is sent again, with its stable ids and in order.
    const firstSeen = [...new Map(collector.messages.map((m) => [m.eventId, m.seq])).values()];
    expect(firstSeen).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(collector.messages.slice(5).map((m) => m.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    await until(() => atna.status().deliveredSeq === 40, f.clock, 'the cursor to catch up');
  });

  it('after a dropped connection resends only the events within the resend window', async () => {
    // One byte: only the newest event is unconfirmed (no byte was written after it).
    const { f, journal, collector, forwarder } = await setup({ resendWindowBytes: 1 });
    const atna = forwarder();
    await atna.start();
    teardown(() => atna.stop());
    for (let n = 1; n <= 5; n++) {
      await journal.append(sampleEvent('session.lock', n));
      // Read by the collector too, so the only events a drop can cost are the ones in the window.
      await until(
        () => atna.status().deliveredSeq === n && collector.messages.length === n,
        f.clock,
        `event ${n} sent and read`,
      );
    }
    const port = collector.port;
    await collector.stop();
    await collector.start(port);
    await journal.append(sampleEvent('session.unlock', 6));
    await until(() => collector.messages.some((m) => m.seq === 6), f.clock, 'the event after the drop', {
      stepMs: 500,
    });
    expect(collector.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 5, 6]);
  });

  it('resumes from its persistent cursor after a restart instead of sending everything again', async () => {
    const { f, journal, collector, forwarder } = await setup();
    const first = forwarder();
    await first.start();
    for (let n = 0; n < 3; n++) await journal.append(sampleEvent('session.sign_in', n));
    await until(() => first.status().deliveredSeq === 3, f.clock, 'three delivered');
    await first.stop();
    for (let n = 3; n < 6; n++) await journal.append(sampleEvent('session.sign_out', n));
    const second = forwarder();
    await second.start();
    teardown(() => second.stop());
    await until(() => second.status().deliveredSeq === 6, f.clock, 'six delivered');
    expect(collector.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('stops at once while a batch waits to settle or to connect, leaving it in the journal for the next start', async () => {
    const { f, journal, collector, forwarder } = await setup();
    const first = forwarder();
    await first.start();
    await journal.append(sampleEvent('session.sign_in', 1));
    // The frame is at the collector, but the settle time has not passed on the (manual) clock.
    await until(() => collector.messages.length === 1, f.clock, 'the first frame', { stepMs: 0 });
    expect(first.status()).toMatchObject({ state: 'sending', deliveredSeq: 0 });
    await first.stop();
    expect(first.status()).toMatchObject({ state: 'stopped', deliveredSeq: 0, consecutiveFailures: 0 });
    // Stopped while the TLS connection is still being set up.
    const second = forwarder();
    await second.start();
    await second.stop();
    expect(second.status()).toMatchObject({ state: 'stopped', deliveredSeq: 0 });
    // Nothing was acknowledged, so a later start sends the event again (at-least-once, same id).
    const third = forwarder();
    await third.start();
    teardown(() => third.stop());
    await until(() => third.status().deliveredSeq === 1, f.clock, 'the event delivered after the restart');
    expect(new Set(collector.messages.map((m) => m.eventId))).toEqual(new Set(await journalIds(journal)));
  });

  it('refuses a collector whose certificate is not signed by the configured CA', async () => {
    const { f, journal, collector, forwarder } = await setup();
    const atna = forwarder(testTls().caPem);
    await atna.start();
    teardown(() => atna.stop());
    await journal.append(sampleEvent('policy.change', 1));
    await until(() => atna.status().consecutiveFailures >= 1, f.clock, 'a failed attempt');
    expect(atna.status().lastError).toMatch(/self-signed|unable to verify|certificate/i);
    expect(collector.messages).toEqual([]);
  });
});
