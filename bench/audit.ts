// npm run bench:audit — durable append rate and latency with group commit, side by side with pino
// (sync: true) writing the same events, verify throughput over 1,000,000 events, and RELP delivery to a real
// rsyslog (imrelp over mutual TLS). Prints one JSON line last and writes bench/results/audit.json.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { systemClock } from '../common/clock.js';
import { systemRandom } from '../common/random.js';
import type { AuditEvent } from '../main/audit/audit-event.js';
import { AuditForwarder } from '../main/audit/forwarding/audit-forwarder.js';
import { CursorStore } from '../main/audit/forwarding/cursor-store.js';
import { RelpTlsTransport } from '../main/audit/forwarding/relp-tls-transport.js';
import { formatSyslogMessage } from '../main/audit/forwarding/syslog-frame.js';
import { AuditJournal } from '../main/audit/journal/audit-journal.js';
import { readEvents } from '../main/audit/journal/journal-reader.js';
import { FileAuditKeyStore } from '../main/audit/keys/file-audit-key-store.js';
import { collectorPki, Rsyslog, rsyslogMissingReason, waitFor } from '../test/main/audit/forwarding/support/rsyslog.js';
import { percentile, reportBench, round } from './support/bench-report.js';

const APPEND_EVENTS = 100_000;
const CONCURRENCY = 256;
const VERIFY_EVENTS = 1_000_000;
const RELP_EVENTS = 20_000;

function event(n: number): AuditEvent {
  return {
    type: n % 5 === 0 ? 'session.lock' : 'session.unlock',
    at: new Date(Date.UTC(2026, 0, 1, 8, 0, 0, n)).toISOString(),
    workstation: 'COW-3F-12',
    actor: {
      userId: `3f2a6c1e-0b7d-4e59-9a31-${String(n % 1000).padStart(12, '0')}`,
      displayName: 'Ana Example, RN',
      badgeHash: 'ab'.repeat(32),
      roles: ['nurse'],
    },
    outcome: 'success',
    reason: 'badge tap',
    details: { reader: 'pcprox-0c27-3bfa', n },
  };
}

/** The bench measures the journal, not the OS key store: the signing key is sealed by nothing. */
const noProtection = { name: 'none (bench)', protect: (b: Buffer) => b, unprotect: (b: Buffer) => b };

async function openJournal(root: string) {
  const keyStore = new FileAuditKeyStore({ directory: path.join(root, 'keys'), protector: noProtection });
  return AuditJournal.open({
    directory: path.join(root, 'journal'),
    keyStore,
    clock: systemClock,
    random: systemRandom,
    workstation: 'bench',
  });
}

/** CONCURRENCY producers, each appending and awaiting durability in a loop, as many sessions would. */
async function measureDurableAppends(root: string) {
  const journal = await openJournal(root);
  const latencies = new Float64Array(APPEND_EVENTS);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let n = next++; n < APPEND_EVENTS; n = next++) {
        const t = performance.now();
        await journal.append(event(n));
        latencies[n] = performance.now() - t;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await journal.close();
  return { perSecond: APPEND_EVENTS / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

/** pino writing the same events to a file with sync: true (a write per line, no fsync). */
function measurePino(root: string) {
  const destination = pino.destination({ dest: path.join(root, 'pino.log'), sync: true });
  const logger = pino({ base: undefined }, destination);
  const started = performance.now();
  for (let n = 0; n < APPEND_EVENTS; n++) logger.info(event(n));
  const seconds = (performance.now() - started) / 1000;
  destination.flushSync();
  destination.end();
  return { perSecond: APPEND_EVENTS / seconds };
}

async function measureVerify(root: string) {
  const journal = await openJournal(root);
  const batch = 8192;
  for (let base = 0; base < VERIFY_EVENTS; base += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, VERIFY_EVENTS - base) }, (_, i) => journal.append(event(base + i))),
    );
  }
  await journal.close();
  // verify as careshell-audit runs it: the compiled CLI (npm run build:cli, which bench:audit runs first), whose
  // workers start as plain JavaScript, in a fresh process. From the TypeScript sources each worker would first
  // load tsx and transpile its modules, and in this process the writer's large heap would slow its collector.
  const child = spawnSync(
    process.execPath,
    [
      fileURLToPath(new URL('./support/time-verify.mjs', import.meta.url)),
      path.join(root, 'journal'),
      path.join(root, 'keys'),
    ],
    { encoding: 'utf8' },
  );
  if (child.status !== 0) throw new Error(`verify timing failed (run \`npm run build:cli\` first?): ${child.stderr}`);
  const timed = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as {
    ok: boolean;
    problems: unknown[];
    events: number;
    records: number;
    segments: number;
    bytes: number;
    threads: number;
    seconds: number;
  };
  if (!timed.ok || timed.events !== VERIFY_EVENTS) throw new Error(`verify failed: ${JSON.stringify(timed.problems)}`);
  return {
    events: timed.events,
    records: timed.records,
    segments: timed.segments,
    threads: timed.threads,
    perSecond: timed.events / timed.seconds,
    mbPerSecond: timed.bytes / 1e6 / timed.seconds,
  };
}

/**
 * Events from the journal to rsyslog's imrelp (TLS, client certificate, Direct queue: each message is in its
 * output file before it is acknowledged), with the production defaults (window 128, batches of 1,000): from the
 * forwarder's start to the cursor reaching the last event, so every event counted was acknowledged.
 */
async function measureRelp(root: string) {
  const missing = rsyslogMissingReason();
  if (missing) {
    process.stderr.write(`bench: no RELP figure: ${missing}\n`);
    return undefined;
  }
  const rsyslog = await Rsyslog.create('relp', collectorPki());
  const journal = await openJournal(root);
  try {
    await rsyslog.start();
    for (let base = 0; base < RELP_EVENTS; base += 1000) {
      await Promise.all(Array.from({ length: 1000 }, (_, i) => journal.append(event(base + i))));
    }
    const forwarder = new AuditForwarder({
      destination: 'bench',
      journal,
      transport: new RelpTlsTransport({
        ...rsyslog.clientEndpoint(),
        clock: systemClock,
        connectTimeoutMs: 10_000,
        ackTimeoutMs: 30_000,
        window: 128,
        format: (e) => formatSyslogMessage(e, { appName: 'careshell', enterpriseNumber: 64_000 }),
      }),
      cursors: new CursorStore(path.join(root, 'cursors')),
      clock: systemClock,
      random: systemRandom,
      retry: { initialMs: 1_000, maxMs: 300_000 },
      batchSize: 1_000,
      audit: journal,
      workstation: 'bench',
      log: { warn: (message) => process.stderr.write(`${message}\n`) },
      stallAfterFailures: 10,
    });
    const head = journal.durableHead().seq;
    const started = performance.now();
    await forwarder.start();
    await waitFor(() => forwarder.status().deliveredSeq === head, 'every event acknowledged by rsyslog', 600_000);
    const seconds = (performance.now() - started) / 1000;
    await forwarder.stop();
    // The forwarder also sends each checkpoint as an audit.checkpoint event: those count as delivered messages.
    const sent = (await readEvents(journal.directory, undefined, { maxEvents: 1_000_000, checkpoints: true })).events;
    const received = new Set((await rsyslog.received()).map((line) => line.eventId));
    if (received.size !== sent.length || sent.some((stored) => !received.has(stored.id))) {
      throw new Error(`rsyslog holds ${received.size} distinct messages, not the ${sent.length} acknowledged`);
    }
    return { perSecond: sent.length / seconds };
  } finally {
    await journal.close();
    await rsyslog.dispose();
  }
}

const root = await mkdtemp(path.join(tmpdir(), 'careshell-bench-audit-'));
try {
  const durable = await measureDurableAppends(path.join(root, 'append'));
  const pinoSync = measurePino(root);
  const verify = await measureVerify(path.join(root, 'verify'));
  const relp = await measureRelp(path.join(root, 'relp'));
  const result = {
    bench: 'audit',
    node: process.version,
    durableAppendsPerSec: Math.round(durable.perSecond),
    durableAppendP50Ms: round(durable.p50Ms, 3),
    durableAppendP99Ms: round(durable.p99Ms, 3),
    appendEvents: APPEND_EVENTS,
    concurrency: CONCURRENCY,
    pinoSyncPerSec: Math.round(pinoSync.perSecond),
    ratioDurableToPinoSync: round(durable.perSecond / pinoSync.perSecond, 3),
    verifyEvents: verify.events,
    verifySegments: verify.segments,
    verifyThreads: verify.threads,
    verifyEventsPerSec: Math.round(verify.perSecond),
    verifyMBPerSec: round(verify.mbPerSecond, 1),
    // null where Debian's rsyslog, rsyslog-relp and rsyslog-gnutls are not installed (the reason goes to stderr).
    relp_delivered_per_s: relp ? Math.round(relp.perSecond) : null,
    relpEvents: RELP_EVENTS,
    targets: { durableAppendsPerSec: 20_000, verifyEventsPerSec: 1_000_000 },
    meetsTargets: { durableAppends: durable.perSecond >= 20_000, verify: verify.perSecond >= 1_000_000 },
  };
  reportBench('audit', result);
} finally {
  await rm(root, { recursive: true, force: true });
}
