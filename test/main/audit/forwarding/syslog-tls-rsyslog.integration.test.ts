import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../../common/clock.js';
import { formatSyslogMessage, octetCountedFrame } from '../../../../main/audit/forwarding/syslog-frame.js';
import { SyslogTlsTransport } from '../../../../main/audit/forwarding/syslog-tls-transport.js';
import { useTeardown } from '../support/lifecycle.js';
import { rsyslogMissingReason, waitFor } from './support/rsyslog.js';
import { rsyslogFixture } from './support/rsyslog-fixture.js';

const missing = rsyslogMissingReason();
if (missing) console.log(`skipping the syslog-TLS tests against rsyslog: ${missing}`);

const teardown = useTeardown();
const BATCH = 200;
const frameOptions = { appName: 'careshell', enterpriseNumber: 64_000 };

async function setup(resendWindowBytes: number) {
  const fixture = await rsyslogFixture('syslog-tls', teardown);
  const transport = new SyslogTlsTransport({
    ...fixture.rsyslog.clientEndpoint(),
    clock: systemClock,
    settleMs: 200,
    connectTimeoutMs: 1_000,
    resendWindowBytes,
    format: (event) => formatSyslogMessage(event, frameOptions),
  });
  return { ...fixture, forwarder: await fixture.forwarder(transport, BATCH) };
}

/**
 * The collector hangs (SIGSTOP) while events keep coming: its kernel and ours take bytes until both buffers
 * are full, and the batches that fit are reported sent. Then it crashes (SIGKILL), and what both kernels held
 * is gone. Returns the ids the collector has after it is restarted and every send has gone through again.
 */
async function hangThenCrash({ journal, rsyslog, forwarder, append }: Awaited<ReturnType<typeof setup>>) {
  await append(200);
  await waitFor(async () => (await rsyslog.received()).length === 200, 'the first 200 events in the file');
  rsyslog.pause();
  await append(3_000);
  // Events reported sent while the collector was not reading: only the kernels hold them.
  await waitFor(() => forwarder.status().deliveredSeq > 200 + 2 * BATCH, 'batches written into the hung collector');
  await rsyslog.crash();
  await append(100);
  const failures = forwarder.status().consecutiveFailures;
  await waitFor(() => forwarder.status().consecutiveFailures > failures, 'a send to fail against the dead collector');
  await rsyslog.start();
  const head = journal.durableHead().seq;
  await waitFor(() => forwarder.status().deliveredSeq === head, 'the forwarder to catch up', 60_000);
  // The last batch counted as sent only once rsyslog read it (it writes each message before reading on).
  await waitFor(
    async () => (await rsyslog.received()).some((line) => line.seq === head || line.seq === head - 1),
    'the last event in the file',
  );
  return rsyslog.received();
}

describe.skipIf(missing !== undefined)(
  "syslog-TLS forwarding to Debian's rsyslog (imtcp with gtls, mutual TLS)",
  () => {
    it('loses nothing when the collector hangs and then crashes: the resend window sends again what the kernels held', async () => {
      const windowBytes = 16 * 1024 * 1024;
      const context = await setup(windowBytes);
      const received = await hangThenCrash(context);
      const events = await context.journalEvents();
      const got = new Set(received.map((line) => line.eventId));
      expect(events.filter((event) => !got.has(event.id)).map((event) => event.seq)).toEqual([]);
      // Duplicates carry their event id and are bounded by the window (plus the batch cut by the failure).
      const smallestFrame = Math.min(
        ...events.map((event) => octetCountedFrame(formatSyslogMessage(event, frameOptions)).length),
      );
      const duplicates = received.length - got.size;
      expect(duplicates).toBeGreaterThan(0);
      expect(duplicates).toBeLessThanOrEqual(Math.ceil(windowBytes / smallestFrame) + BATCH);
      expect(received.every((line) => line.msgId === 'IHE+RFC-3881' && line.eventId.length > 0)).toBe(true);
    });

    it('without a resend window the same hang and crash loses the events the kernels held (why the window exists)', async () => {
      const context = await setup(0);
      const received = await hangThenCrash(context);
      const got = new Set(received.map((line) => line.eventId));
      const lost = (await context.journalEvents()).filter((event) => !got.has(event.id));
      expect(lost.length).toBeGreaterThan(0);
    });
  },
);
