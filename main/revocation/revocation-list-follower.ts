import type { Clock } from '../../common/clock.js';
import { messageOf } from '../../common/errors.js';
import type { Random } from '../../common/random.js';
import type { AuditEvent, AuditSink } from '../audit/audit-event.js';
import type { AccessRevocations } from '../identity/access-revocations.js';
import { RevocationFetchError, type FetchRevocationList } from './revocation-list-fetch.js';
import type { RevocationListPolicy } from './revocation-list-policy.js';
import type { RevocationListStore } from './revocation-list-store.js';
import {
  admissionProblem,
  revocationListVerifier,
  staleness,
  type RevocationListProblem,
  type VerifiedRevocationList,
} from './revocation-list-verifier.js';

/** What the status file and `careshell-status` say about the list (docs/it-guide.md#health). */
export interface RevocationListStatus {
  url: string;
  pollSeconds: number;
  /** The list applied (none before the first good one). */
  sequence?: number;
  issuedAt?: string;
  revokedCount?: number;
  /** When the server last answered with a usable list or "not modified". */
  lastCheckAt?: string;
  /** The applied list is older than maxAgeMinutes or past its expiresAt: revocations may be missing. */
  stale?: string;
  /** Why the last fetch brought no new list; cleared by the next good answer. */
  problem?: RevocationListProblem & { since: string };
}

export interface RevocationListDeps {
  policy: RevocationListPolicy;
  fetchList: FetchRevocationList;
  store: RevocationListStore;
  revocations: Pick<AccessRevocations, 'replaceListed'>;
  /** Unenrolls the account (badge, PIN, tokens) and ends its sessions, as identity.revoked does. */
  revoke(userId: string, reason: string): Promise<{ unenrolled: boolean }>;
  audit: AuditSink;
  clock: Clock;
  random: Random;
  workstation: string;
  log: { info(message: string): void; warn(message: string): void };
  /** The status changed (for the status file). */
  changed?(): void;
}

export interface RevocationListFollower {
  /** Applies the list kept from the last run (verified again), then polls; resolves once the kept list is applied. */
  start(): Promise<void>;
  /** One poll now (tests, the harness); polls never overlap. */
  pollNow(): Promise<void>;
  status(): RevocationListStatus;
  stop(): void;
}

/** Errors back off to at most this many poll intervals, so an outage costs at most this much propagation. */
export const MAX_BACKOFF_POLLS = 4;
/** Each wait is 80-100 % of the interval: thousands of workstations started together drift apart. */
const JITTER = 0.2;

/**
 * Follows the hospital's signed revocation list (docs/temporary-access.md#revocation-list): fetches it every
 * pollSeconds (jittered; a 304 when unchanged), verifies it against the pinned keys, and applies a newer one:
 * every account newly listed is unenrolled and its sessions end (the session engine's admin-revoke, which ends
 * its grants too); an account taken off can enroll again. A list that fails any check is refused, the last good
 * one is kept, and the problem is reported in the status and audited once while it lasts.
 */
export function followRevocationList(deps: RevocationListDeps): RevocationListFollower {
  const { policy, clock } = deps;
  const verify = revocationListVerifier(policy.publicKeys, policy.issuer);
  const pollMs = policy.pollSeconds * 1000;
  const freshness = () => ({ nowMs: clock.wallTime().getTime(), maxAgeMs: policy.maxAgeMinutes * 60_000 });
  const now = () => clock.wallTime().toISOString();

  let current: (VerifiedRevocationList & { etag?: string }) | undefined;
  let problem: RevocationListStatus['problem'];
  let stale: string | undefined;
  let lastCheckAt: string | undefined;
  let failures = 0;
  let stopped = false;
  let cancelTimer = () => {};
  let polling: Promise<void> = Promise.resolve();

  const event = (
    type: 'revocation.list.applied' | 'revocation.list.refused' | 'revocation.list.stale' | 'revocation.apply',
    outcome: AuditEvent['outcome'],
    reason: string,
    details: Record<string, string | number | boolean>,
    userId?: string,
  ): AuditEvent => ({
    type,
    at: now(),
    workstation: deps.workstation,
    ...(userId ? { actor: { userId } } : {}),
    outcome,
    reason,
    details: { url: policy.url, ...details },
  });

  const audit = (record: AuditEvent) =>
    deps.audit
      .append(record)
      .catch((error: unknown) => deps.log.warn(`revocation list: audit of ${record.type} failed: ${messageOf(error)}`));

  /** Reports a problem; audited only when it is not the one already reported. */
  async function report(found: RevocationListProblem): Promise<void> {
    const repeated = problem?.code === found.code;
    problem = { ...found, since: repeated ? problem!.since : now() };
    deps.changed?.();
    if (repeated) return;
    deps.log.warn(`revocation list: refused (${found.code}): ${found.message}; the last good list is kept`);
    await audit(
      event('revocation.list.refused', 'failure', found.message, {
        problem: found.code,
        ...(current ? { keptSequence: current.payload.sequence } : {}),
      }),
    );
  }

  /** Reports the kept list going stale once; a fresh list clears it. */
  async function checkStale(): Promise<void> {
    const reason = current ? staleness(current.payload, freshness()) : undefined;
    const was = stale;
    stale = reason;
    if (reason === undefined || was !== undefined) return;
    deps.changed?.();
    deps.log.warn(`revocation list: ${reason}; it stays applied until a newer one arrives`);
    await audit(
      event('revocation.list.stale', 'failure', `${reason}: revocations published since may be missing`, {
        sequence: current!.payload.sequence,
      }),
    );
  }

  async function apply(list: VerifiedRevocationList & { etag?: string }, restored: boolean): Promise<void> {
    const before = new Set(restored ? [] : (current?.payload.revoked.map((r) => r.userId) ?? []));
    const after = list.payload.revoked;
    const added = after.filter((r) => !before.has(r.userId));
    const kept = new Set(after.map((r) => r.userId));
    const removed = [...before].filter((userId) => !kept.has(userId));
    if (!restored) await deps.store.save(list.jws);
    current = list;
    deps.revocations.replaceListed(after.map(({ userId, reason }) => ({ userId, reason })));
    // A new list is fresh (admission refuses stale ones); a kept one may not be: checkStale() reports it.
    stale = undefined;
    deps.changed?.();
    await audit(
      event(
        'revocation.list.applied',
        'success',
        restored ? `list ${list.payload.sequence} kept from the last run` : `list ${list.payload.sequence} applied`,
        {
          sequence: list.payload.sequence,
          issuedAt: list.payload.issuedAt,
          kid: list.kid,
          revoked: after.length,
          added: restored ? 0 : added.length,
          removed: removed.length,
          restored,
        },
      ),
    );
    if (added.length || removed.length)
      deps.log.info(
        `revocation list ${list.payload.sequence}: ${added.length} revoked, ${removed.length} taken off the list`,
      );
    for (const entry of added) {
      if (stopped) return;
      const done = await deps
        .revoke(entry.userId, entry.reason)
        .catch((error: unknown) => ({ unenrolled: false, error: messageOf(error) }));
      // On a restart the kept list's accounts were revoked before: only what is done again is audited.
      if (restored && done.unenrolled === false && !('error' in done)) continue;
      await audit(
        event(
          'revocation.apply',
          'error' in done ? 'failure' : 'success',
          `revoked by the revocation list: ${entry.reason}`,
          {
            sequence: list.payload.sequence,
            revokedAt: entry.revokedAt,
            unenrolled: done.unenrolled,
            ...('error' in done ? { error: done.error } : {}),
          },
          entry.userId,
        ),
      );
    }
  }

  async function restore(): Promise<void> {
    let kept: string | undefined;
    try {
      kept = await deps.store.load();
    } catch (error) {
      deps.log.warn(`revocation list: the kept list cannot be read: ${messageOf(error)}`);
    }
    if (kept === undefined) return;
    const verified = await verify(kept);
    if (!verified.ok) {
      // A kept list no pinned key verifies (the key was retired, the file altered) is ignored, and said so.
      return report({
        code: verified.problem.code,
        message: `the list kept from the last run is not used: ${verified.problem.message}`,
      });
    }
    await apply(verified.list, true);
    await checkStale();
  }

  async function pollOnce(): Promise<void> {
    if (stopped) return;
    let answer;
    try {
      answer = await deps.fetchList(current?.etag);
    } catch (error) {
      failures += 1;
      const found =
        error instanceof RevocationFetchError
          ? { code: error.code, message: error.message }
          : { code: 'unreachable' as const, message: messageOf(error) };
      await report(found);
      await checkStale();
      return;
    }
    failures = 0;
    if (stopped) return;
    lastCheckAt = now();
    if (answer.kind === 'not-modified') {
      if (current && problem) clear();
      await checkStale();
      return;
    }
    const verified = await verify(answer.body);
    if (!verified.ok) {
      await report(verified.problem);
      return checkStale();
    }
    if (current && verified.list.jws === current.jws) {
      current = { ...current, ...(answer.etag ? { etag: answer.etag } : {}) };
      if (problem) clear();
      return checkStale();
    }
    const refused = admissionProblem(
      verified.list,
      current && { sequence: current.payload.sequence, jws: current.jws },
      freshness(),
    );
    if (refused) {
      await report(refused);
      return checkStale();
    }
    if (stopped) return;
    problem = undefined;
    await apply({ ...verified.list, ...(answer.etag ? { etag: answer.etag } : {}) }, false);
    await checkStale();
  }

  function clear(): void {
    deps.log.info('revocation list: the server answers with a good list again');
    problem = undefined;
    deps.changed?.();
  }

  function unit(): number {
    const [a = 0, b = 0, c = 0, d = 0] = deps.random.bytes(4);
    return (((a << 24) | (b << 16) | (c << 8) | d) >>> 0) / 2 ** 32;
  }

  function nextDelay(): number {
    const base = failures === 0 ? pollMs : Math.min(pollMs * 2 ** failures, pollMs * MAX_BACKOFF_POLLS);
    return base * (1 - JITTER * unit());
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    cancelTimer = clock.setTimer(delayMs, () => {
      void poll().finally(() => schedule(nextDelay()));
    });
  }

  function poll(): Promise<void> {
    const run = polling.then(pollOnce, pollOnce);
    polling = run.catch((error: unknown) => deps.log.warn(`revocation list: poll failed: ${messageOf(error)}`));
    return polling;
  }

  return {
    async start() {
      await restore();
      // The first fetch within the first 20 % of an interval: soon after a start, yet not all at once.
      schedule(pollMs * JITTER * unit());
    },
    pollNow: poll,
    status: () => ({
      url: policy.url,
      pollSeconds: policy.pollSeconds,
      ...(current
        ? {
            sequence: current.payload.sequence,
            issuedAt: current.payload.issuedAt,
            revokedCount: current.payload.revoked.length,
          }
        : {}),
      ...(lastCheckAt ? { lastCheckAt } : {}),
      ...(stale ? { stale } : {}),
      ...(problem ? { problem } : {}),
    }),
    stop() {
      stopped = true;
      cancelTimer();
    },
  };
}
