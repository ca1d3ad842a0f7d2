import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  careShellPolicySchema,
  resolveCareShellPolicy,
  type ResolvedPolicy,
} from '../../../main/app/careshell-policy.js';
import type { ForwarderStatus } from '../../../main/audit/forwarding/audit-forwarder.js';
import type { AuditJournal } from '../../../main/audit/journal/audit-journal.js';
import { readEvents } from '../../../main/audit/journal/journal-reader.js';
import { verifyJournal } from '../../../main/audit/journal/verify-journal.js';
import { startHealthMonitor, STATUS_REFRESH_MS, type HealthReading } from '../../../main/health/health-monitor.js';
import { workstationStatusSchema, type WorkstationStatus } from '../../../main/health/workstation-status.js';
import { journalFixture } from '../audit/support/journal-fixture.js';

/** Waits are generous: the status file is written from timers and file I/O, slow when the test tiers share the CPUs. */
const WAIT = { timeout: 10_000 };

function policyWith(health?: Record<string, unknown>): ResolvedPolicy {
  const resolved = resolveCareShellPolicy(careShellPolicySchema.parse({ version: 1, ...(health ? { health } : {}) }));
  if (!resolved.ok) throw new Error('test policy is invalid');
  return resolved.policy;
}

let f: Awaited<ReturnType<typeof journalFixture>>;
let journal: AuditJournal;
let statusFile: string;
let reading: HealthReading;
let readerState: 'ready' | 'missing' = 'ready';
let forwarder: ForwarderStatus;
const warnings: string[] = [];

const running = (policy = policyWith()): HealthReading => ({
  state: 'running',
  policy,
  readers: { readers: [{ id: 'door', description: 'pcProx on USB', state: readerState }] },
  forwarders: [forwarder],
  journalSeq: journal.durableHead().seq,
  journal,
});

async function status(): Promise<WorkstationStatus> {
  return workstationStatusSchema.parse(JSON.parse(await readFile(statusFile, 'utf8')));
}

beforeEach(async () => {
  f = await journalFixture();
  journal = await f.open();
  statusFile = path.join(f.root, 'status.json');
  readerState = 'ready';
  forwarder = {
    destination: 'siem',
    state: 'idle',
    deliveredSeq: 0,
    journalSeq: 0,
    consecutiveFailures: 0,
    stalled: false,
  };
  reading = { state: 'starting' };
  warnings.length = 0;
});
afterEach(async () => {
  await journal.close();
  await f.cleanup();
});

function monitor() {
  return startHealthMonitor({
    clock: f.clock,
    workstation: 'COW-3F-12',
    appVersion: '1.2.3',
    policySource: '/etc/careshell/policy.json',
    statusFile,
    read: () => (reading.state === 'running' ? running(reading.policy) : reading),
    log: { warn: (m) => void warnings.push(m) },
  });
}

describe('the status file', () => {
  it('follows the phases: starting, locked with the problem, running with readers, policy and audit backlog, stopped', async () => {
    const health = monitor();
    await health.changed();
    expect((await status()).state).toBe('starting');

    reading = { state: 'locked', problem: { kind: 'not-configured', message: 'IT must install its machine policy' } };
    await health.changed();
    expect(await status()).toMatchObject({ state: 'locked', problem: { kind: 'not-configured' } });

    reading = running();
    forwarder = { ...forwarder, deliveredSeq: 3, journalSeq: 10 };
    await health.changed();
    const s = await status();
    expect(s).toMatchObject({
      state: 'running',
      app: { version: '1.2.3', pid: process.pid },
      workstation: 'COW-3F-12',
      policy: { source: '/etc/careshell/policy.json', formatVersion: 1, profile: 'default' },
      readers: [{ id: 'door', state: 'ready' }],
      audit: { destinations: [{ destination: 'siem', deliveredSeq: 3, backlog: 7, stalled: false }] },
      heartbeat: { intervalMinutes: 15 },
    });
    expect(s.policy.digest).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(Date.parse(s.staleAfter) - Date.parse(s.writtenAt)).toBe(3 * STATUS_REFRESH_MS);

    await health.stop();
    expect((await status()).state).toBe('stopped');
    expect(warnings).toEqual([]);
  });

  it('tells two policies apart by digest, and shows the policy interval', async () => {
    const health = monitor();
    reading = running();
    await health.changed();
    const before = await status();
    reading = running(policyWith({ heartbeatMinutes: 5 }));
    await health.changed();
    const after = await status();
    expect(after.policy.digest).not.toBe(before.policy.digest);
    expect(after.heartbeat.intervalMinutes).toBe(5);
    await health.stop();
  });

  it('is rewritten when a reader changes, found by the refresh tick, and stamps the last delivery it saw', async () => {
    const health = monitor();
    reading = running();
    await health.changed();
    const first = await status();
    expect(first.audit.destinations[0]!.lastDeliveryAt).toBeUndefined();

    readerState = 'missing';
    forwarder = { ...forwarder, deliveredSeq: 2, journalSeq: 2 };
    f.clock.advance(STATUS_REFRESH_MS);
    await vi.waitFor(async () => expect((await status()).readers[0]!.state).toBe('missing'), WAIT);
    const second = await status();
    expect(second.audit.destinations[0]).toMatchObject({ backlog: 0, lastDeliveryAt: second.writtenAt });
    await health.stop();
  });

  it('is not rewritten between ticks when nothing changed, and is rewritten at each tick so its age means something', async () => {
    const health = monitor();
    reading = running();
    await health.changed();
    const first = await status();
    f.clock.advanceWithoutFiring(1_000);
    await health.changed();
    expect((await status()).writtenAt).toBe(first.writtenAt);
    f.clock.advance(STATUS_REFRESH_MS);
    await vi.waitFor(async () => expect((await status()).writtenAt).not.toBe(first.writtenAt), WAIT);
    await health.stop();
  });

  it('logs, never throws, when the file cannot be written', async () => {
    const health = startHealthMonitor({
      clock: f.clock,
      workstation: 'COW-3F-12',
      appVersion: '1.2.3',
      policySource: 'x',
      statusFile: path.join(f.root, 'no-such-folder', 'status.json'),
      read: () => reading,
      log: { warn: (m) => void warnings.push(m) },
    });
    await health.changed();
    expect(warnings.join('\n')).toMatch(/health: could not write .*status\.json/);
    await health.stop();
  });
});

describe('the heartbeat', () => {
  it('records a signed workstation.heartbeat at the policy interval, with readers, backlog, policy and version', async () => {
    const health = monitor();
    reading = running(policyWith({ heartbeatMinutes: 5 }));
    forwarder = { ...forwarder, deliveredSeq: 0, journalSeq: 0 };
    await health.changed();

    f.clock.advance(4 * 60_000);
    expect((await readEvents(f.directory, undefined, { maxEvents: 10 })).events).toEqual([]);

    f.clock.advance(60_000);
    await vi.waitFor(
      async () => expect([warnings, (await status()).heartbeat.lastAt]).toEqual([[], expect.any(String)]),
      WAIT,
    );
    const { events } = await readEvents(f.directory, undefined, { maxEvents: 10 });
    expect(events.map((e) => e.event.type)).toEqual(['workstation.heartbeat']);
    expect(events[0]!.event).toMatchObject({
      outcome: 'success',
      workstation: 'COW-3F-12',
      details: {
        appVersion: '1.2.3',
        policySource: '/etc/careshell/policy.json',
        'reader.door': 'ready',
        'audit.siem.backlog': 0,
        'audit.siem.state': 'idle',
      },
    });
    // The checkpoint right after it signs it: nothing in the journal is left unsigned.
    const report = await verifyJournal(f.directory, await f.keyStore.publicKeys(), { threads: 1 });
    expect(report).toMatchObject({ ok: true, events: 1, unsignedRecords: 0 });
    await health.stop();
  });

  it('is a failure outcome when a reader is missing, and there is none while the workstation is locked', async () => {
    const health = monitor();
    reading = { state: 'locked', problem: { kind: 'invalid-policy', message: 'bad key' } };
    f.clock.advance(15 * 60_000);
    await health.changed();
    expect((await readEvents(f.directory, undefined, { maxEvents: 10 })).events).toEqual([]);

    reading = running();
    readerState = 'missing';
    f.clock.advance(15 * 60_000);
    await vi.waitFor(
      async () => expect([warnings, (await status()).heartbeat.lastAt]).toEqual([[], expect.any(String)]),
      WAIT,
    );
    const { events } = await readEvents(f.directory, undefined, { maxEvents: 10 });
    expect(events.map((e) => [e.event.type, e.event.outcome])).toEqual([['workstation.heartbeat', 'failure']]);
    await health.stop();
  });

  it('carries the revocation list: in the status file, and a refused list makes the heartbeat a failure', async () => {
    const list = { url: 'https://revocations.test/r.jws', pollSeconds: 30, sequence: 7, revokedCount: 2 };
    const problem = { code: 'bad-signature' as const, message: 'altered', since: '2026-01-01T08:00:00.000Z' };
    const read = (): HealthReading => ({ ...running(), revocationList: { ...list, problem } }) as HealthReading;
    const listed = startHealthMonitor({
      clock: f.clock,
      workstation: 'COW-3F-12',
      appVersion: '1.2.3',
      policySource: '/etc/careshell/policy.json',
      statusFile,
      read,
      log: { warn: (m) => void warnings.push(m) },
    });
    await listed.changed();
    expect((await status()).revocationList).toEqual({ ...list, problem });
    f.clock.advance(15 * 60_000);
    await vi.waitFor(async () => expect((await status()).heartbeat.lastAt).toEqual(expect.any(String)), WAIT);
    const { events } = await readEvents(f.directory, undefined, { maxEvents: 10 });
    expect(events.map((e) => [e.event.type, e.event.outcome])).toEqual([['workstation.heartbeat', 'failure']]);
    expect(events[0]!.event.details).toMatchObject({
      'revocationList.sequence': 7,
      'revocationList.problem': 'bad-signature',
    });
    await listed.stop();
  });

  it('a new interval from a policy change applies at once, counted from the last heartbeat', async () => {
    const health = monitor();
    reading = running();
    await health.changed();
    f.clock.advance(2 * 60_000);
    reading = running(policyWith({ heartbeatMinutes: 5 }));
    await health.changed();
    f.clock.advance(2 * 60_000);
    expect((await readEvents(f.directory, undefined, { maxEvents: 10 })).events).toEqual([]);
    f.clock.advance(60_000);
    await vi.waitFor(
      async () => expect((await status()).heartbeat.lastAt).toBe(f.clock.wallTime().toISOString()),
      WAIT,
    );
    await health.stop();
  });
});
