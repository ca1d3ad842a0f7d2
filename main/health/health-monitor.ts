import { createHash } from 'node:crypto';
import type { Clock } from '../../common/clock.js';
import { messageOf } from '../../common/errors.js';
import type { ReaderStatusSummary } from '../../native/manager/reader-manager.js';
import type { ResolvedPolicy } from '../app/careshell-policy.js';
import type { AuditEvent } from '../audit/audit-event.js';
import type { ForwarderStatus } from '../audit/forwarding/audit-forwarder.js';
import { writeFileAtomically } from '../audit/atomic-file.js';
import { canonicalJson } from '../audit/journal/canonical-json.js';
import { POLICY_VERSION } from '../policy/policy-root.js';
import type { RevocationListStatus } from '../revocation/revocation-list-follower.js';
import { healthPolicySchema } from './health-policy.js';
import { STATUS_FORMAT, type DestinationStatus, type WorkstationStatus } from './workstation-status.js';

/** What the workstation is doing now, as runWorkstation knows it; the monitor turns it into a status. */
export type HealthReading =
  | { state: 'starting' | 'stopped' }
  | { state: 'locked'; problem: { kind: string; message: string } }
  | {
      state: 'running';
      policy: ResolvedPolicy;
      readers: ReaderStatusSummary;
      forwarders: readonly ForwarderStatus[];
      journalSeq: number;
      /** Where the heartbeat goes: recorded, then a checkpoint signs it at once. */
      journal: { record(event: AuditEvent): Promise<unknown>; checkpoint(): Promise<void> };
      /** The signed revocation list, when policy sets one. */
      revocationList?: RevocationListStatus;
    };

export interface HealthMonitorOptions {
  clock: Clock;
  workstation: string;
  appVersion: string;
  /** Where the machine policy is read from (shown as the policy source). */
  policySource: string;
  statusFile: string;
  read(): HealthReading;
  log: { warn(message: string): void };
  /** How often the status file is compared and rewritten, at least; and so how soon it goes stale. */
  refreshMs?: number;
}

export interface HealthMonitor {
  /** Something changed (started, locked, policy applied): rewrite the status file now. */
  changed(): Promise<void>;
  /** Writes a last `stopped` status and stops the timers. */
  stop(): Promise<void>;
}

export const STATUS_REFRESH_MS = 30_000;
/** A file not rewritten for this many refresh intervals is stale: the app is hung or gone. */
const STALE_AFTER_REFRESHES = 3;
const STATUS_FILE_MODE = 0o644;

/**
 * Keeps the status file IT reads with `careshell-status` current (rewritten on every change, and at least every
 * refresh interval so its age tells a hung app from a running one) and records a signed `workstation.heartbeat`
 * audit event every `health.heartbeatMinutes` while the workstation runs (docs/it-guide.md#health). Failures are
 * logged, never thrown: health reporting must not take a workstation down.
 */
export function startHealthMonitor(options: HealthMonitorOptions): HealthMonitor {
  const { clock, log } = options;
  const refreshMs = options.refreshMs ?? STATUS_REFRESH_MS;
  /** Per destination: the last delivered seq seen and when it moved. */
  const deliveries = new Map<string, { seq: number; at?: string }>();
  let lastHeartbeatAt: string | undefined;
  let lastWritten = '';
  let lastWrittenMs = -Infinity;
  let stopped = false;
  let writing: Promise<void> = Promise.resolve();

  const intervalMinutes = (reading: HealthReading) =>
    reading.state === 'running'
      ? reading.policy.health.heartbeatMinutes
      : healthPolicySchema.parse({}).heartbeatMinutes;

  function destinations(forwarders: readonly ForwarderStatus[], now: string): DestinationStatus[] {
    return forwarders.map((f) => {
      const seen = deliveries.get(f.destination);
      const at = seen && f.deliveredSeq > seen.seq ? now : seen?.at;
      deliveries.set(f.destination, { seq: f.deliveredSeq, ...(at ? { at } : {}) });
      return {
        destination: f.destination,
        state: f.state,
        deliveredSeq: f.deliveredSeq,
        backlog: Math.max(0, f.journalSeq - f.deliveredSeq),
        consecutiveFailures: f.consecutiveFailures,
        stalled: f.stalled,
        ...(f.lastError ? { lastError: f.lastError } : {}),
        ...(at ? { lastDeliveryAt: at } : {}),
      };
    });
  }

  /** The status without its timestamps: what decides whether the file changed. */
  function describe(reading: HealthReading, now: string): Omit<WorkstationStatus, 'writtenAt' | 'staleAfter'> {
    const running = reading.state === 'running' ? reading : undefined;
    return {
      format: STATUS_FORMAT,
      app: { version: options.appVersion, pid: process.pid },
      workstation: options.workstation,
      state: reading.state,
      ...(reading.state === 'locked' ? { problem: reading.problem } : {}),
      policy: {
        source: options.policySource,
        ...(running
          ? {
              formatVersion: POLICY_VERSION,
              digest: policyDigest(running.policy),
              profile: running.policy.session.profile,
            }
          : {}),
      },
      readers: running?.readers.readers ?? [],
      audit: {
        journalSeq: running?.journalSeq ?? 0,
        destinations: running ? destinations(running.forwarders, now) : [],
      },
      heartbeat: { intervalMinutes: intervalMinutes(reading), ...(lastHeartbeatAt ? { lastAt: lastHeartbeatAt } : {}) },
      ...(running?.revocationList ? { revocationList: running.revocationList } : {}),
    };
  }

  /** Rewrites the file when its content changed or when it is due, one write at a time. */
  function refresh(force: boolean): Promise<void> {
    writing = writing.then(async () => {
      const wall = clock.wallTime();
      const reading: HealthReading = stopped ? { state: 'stopped' } : options.read();
      followInterval(reading);
      const body = describe(reading, wall.toISOString());
      const key = JSON.stringify(body);
      const due = clock.monotonicMs() - lastWrittenMs >= refreshMs;
      if (!force && !due && key === lastWritten) return;
      const status: WorkstationStatus = {
        ...body,
        writtenAt: wall.toISOString(),
        staleAfter: new Date(wall.getTime() + STALE_AFTER_REFRESHES * refreshMs).toISOString(),
      };
      try {
        await writeFileAtomically(options.statusFile, `${JSON.stringify(status, null, 2)}\n`, {
          mode: STATUS_FILE_MODE,
        });
        lastWritten = key;
        lastWrittenMs = clock.monotonicMs();
      } catch (error) {
        log.warn(`health: could not write ${options.statusFile}: ${messageOf(error)}`);
      }
    });
    return writing;
  }

  async function heartbeat(): Promise<void> {
    const reading = options.read();
    if (reading.state !== 'running') return;
    const at = clock.wallTime().toISOString();
    const status = describe(reading, at);
    try {
      await reading.journal.record({
        type: 'workstation.heartbeat',
        at,
        workstation: options.workstation,
        outcome:
          status.readers.some((r) => r.state !== 'ready') ||
          status.audit.destinations.some((d) => d.stalled) ||
          status.revocationList?.problem !== undefined ||
          status.revocationList?.stale !== undefined
            ? 'failure'
            : 'success',
        reason: `CareShell ${options.appVersion} running`,
        details: heartbeatDetails(status),
      });
      // Signed now, not when the next thousand records or a minute have passed.
      await reading.journal.checkpoint();
      lastHeartbeatAt = at;
    } catch (error) {
      log.warn(`health: the heartbeat could not be recorded: ${messageOf(error)}`);
    }
  }

  let cancelRefresh = () => {};
  let cancelHeartbeat = () => {};
  let heartbeatArmedAt = clock.monotonicMs();
  let heartbeatEveryMs = 0;
  const armRefresh = () => {
    cancelRefresh = clock.setTimer(refreshMs, () => {
      if (stopped) return;
      void refresh(false).then(() => !stopped && armRefresh());
    });
  };
  /** The next heartbeat comes one interval after the last (or the start), so a new interval applies at once. */
  const armHeartbeat = (everyMs: number, fromMs: number) => {
    cancelHeartbeat();
    heartbeatEveryMs = everyMs;
    heartbeatArmedAt = fromMs;
    cancelHeartbeat = clock.setTimer(fromMs + everyMs - clock.monotonicMs(), () => {
      if (stopped) return;
      armHeartbeat(intervalMinutes(options.read()) * 60_000, clock.monotonicMs());
      void heartbeat().then(() => refresh(true));
    });
  };
  function followInterval(reading: HealthReading): void {
    const everyMs = intervalMinutes(reading) * 60_000;
    if (!stopped && everyMs !== heartbeatEveryMs) armHeartbeat(everyMs, heartbeatArmedAt);
  }
  armRefresh();
  armHeartbeat(intervalMinutes(options.read()) * 60_000, heartbeatArmedAt);

  return {
    changed: () => refresh(false),
    async stop() {
      stopped = true;
      cancelRefresh();
      cancelHeartbeat();
      await refresh(true);
    },
  };
}

/** The heartbeat's details: flat key/value pairs, as every audit event carries them. */
function heartbeatDetails(
  status: Omit<WorkstationStatus, 'writtenAt' | 'staleAfter'>,
): Record<string, string | number | boolean> {
  const details: Record<string, string | number | boolean> = {
    appVersion: status.app.version,
    policySource: status.policy.source,
    journalSeq: status.audit.journalSeq,
  };
  if (status.policy.digest) details.policyDigest = status.policy.digest;
  if (status.policy.profile) details.profile = status.policy.profile;
  for (const reader of status.readers) details[`reader.${reader.id}`] = reader.state;
  for (const d of status.audit.destinations) {
    details[`audit.${d.destination}.backlog`] = d.backlog;
    details[`audit.${d.destination}.state`] = d.stalled ? 'stalled' : d.state;
    if (d.lastDeliveryAt) details[`audit.${d.destination}.lastDeliveryAt`] = d.lastDeliveryAt;
  }
  if (status.revocationList) {
    const list = status.revocationList;
    if (list.sequence !== undefined) details['revocationList.sequence'] = list.sequence;
    if (list.problem) details['revocationList.problem'] = list.problem.code;
    if (list.stale) details['revocationList.stale'] = true;
  }
  return details;
}

/** Tells two policy revisions apart without showing their content. */
function policyDigest(policy: ResolvedPolicy): string {
  return `sha256:${createHash('sha256').update(canonicalJson(policy)).digest('hex').slice(0, 16)}`;
}
