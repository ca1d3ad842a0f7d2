import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../common/clock.js';
import { systemRandom } from '../common/random.js';
import { AccessRevocations } from '../main/identity/access-revocations.js';
import { httpsRevocationFetch } from '../main/revocation/revocation-list-fetch.js';
import { followRevocationList, type RevocationListFollower } from '../main/revocation/revocation-list-follower.js';
import { revocationListPolicySchema } from '../main/revocation/revocation-list-policy.js';
import { memoryRevocationListStore } from '../main/revocation/revocation-list-store.js';
import { makeRig, USERS, type Rig } from '../test/main/session/session-test-kit.js';
import { createTestCa } from '../tools/local-idp/test-ca.js';
import { startRevocationServer } from '../tools/revocation-server/revocation-server.js';
import { percentile, reportBench, round } from './support/bench-report.js';

export interface RevocationBenchOptions {
  /** identity.revocationList.pollSeconds: what a hospital would ship (the default, 30). */
  pollSeconds?: number;
  /** Workstations following the one publisher, each with its own poller (and jitter), fetch agent and session engine. */
  workstations?: number;
  /** Lists published, each revoking one more user who is signed in on every workstation. */
  publishes?: number;
  /** Time between two publishes: staggered so every phase of the poll cycle is sampled. */
  spacingMs?: number;
  log?: (message: string) => void;
}

export type RevocationBenchFigures = {
  revocation_propagation_p95_ms: number;
  revocation_poll_seconds: number;
  revocation_propagation_p50_ms: number;
  revocation_propagation_max_ms: number;
  revocation_samples: number;
  revocation_workstations: number;
  revocation_publishes: number;
  revocation_target_ms: number;
};

/**
 * revocation_propagation_p95_ms: from a list published (the publisher's state written and the new JWS served)
 * until the revoked user's session has ended on a workstation, over loopback HTTPS, with the poll interval
 * policy sets. Each workstation is the real revocation-list follower (jittered polls, ETag, JWS verification with
 * jose, apply) in front of a real session engine (the session test kit's, with fakes for the identity layer):
 * "session ended" is its `terminated` lifecycle event for that user. Publishes are staggered so the sample covers
 * the whole poll cycle; all workstations run in this one process, so the bench takes one poll interval more than
 * publishes * spacing. Every publish revokes a user who is signed in on every workstation (each user id of the
 * list maps to a session of its own on each workstation).
 */
export async function measureRevocationPropagation(
  options: RevocationBenchOptions = {},
): Promise<RevocationBenchFigures> {
  const pollSeconds = options.pollSeconds ?? 30;
  const count = options.workstations ?? 10;
  const publishes = options.publishes ?? 24;
  const spacingMs = options.spacingMs ?? 5_000;
  const log = options.log ?? (() => {});
  const ca = createTestCa('bench revocation CA');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'careshell-bench-revocation-'));
  const server = await startRevocationServer({
    tls: ca.issueServerCert({ dns: ['localhost'], ips: ['127.0.0.1'] }),
    dataDir,
  });
  const policy = revocationListPolicySchema.parse({ url: server.url, publicKeys: [server.publicJwk], pollSeconds });
  /** Per published user: when its list was published, and when each workstation ended its session. */
  const publishedAt = new Map<string, number>();
  const samples: number[] = [];
  const pending = new Set<string>();
  let allDone: () => void = () => {};

  const stations = Array.from({ length: count }, (_, index) => {
    /** The session of each benchmark user on this workstation: a session engine signed in as alice. */
    const sessions = new Map<string, Rig>();
    const fetchList = httpsRevocationFetch({ url: server.url, extraCaPems: [ca.caPem], clock: systemClock });
    const follower: RevocationListFollower = followRevocationList({
      policy,
      fetchList,
      store: memoryRevocationListStore(),
      revocations: new AccessRevocations(),
      async revoke(userId, reason) {
        const rig = sessions.get(userId);
        if (rig) await rig.service.handle({ type: 'admin-revoke', userId: USERS.alice.userId, reason });
        return { unenrolled: false };
      },
      audit: { append: async () => {} },
      clock: systemClock,
      random: systemRandom,
      workstation: `BENCH-WS-${index + 1}`,
      log: { info: () => {}, warn: (m) => log(`ws ${index + 1}: ${m}`) },
    });
    return {
      follower,
      fetchList,
      async signIn(userId: string) {
        const rig = makeRig();
        await rig.tap('alice');
        rig.service.onLifecycle((event) => {
          if (event.kind !== 'terminated') return;
          samples.push(performance.now() - publishedAt.get(userId)!);
          pending.delete(`${index}:${userId}`);
          if (pending.size === 0) allDone();
        });
        sessions.set(userId, rig);
      },
    };
  });

  try {
    await Promise.all(stations.map((s) => s.follower.start()));
    // Everyone has the first list before the first measured publish.
    const first = server.served().sequence;
    while (stations.some((s) => s.follower.status().sequence !== first)) await sleep(100);
    const done = new Promise<void>((resolve) => (allDone = resolve));
    for (let i = 0; i < publishes; i += 1) {
      const userId = `u-bench-${i + 1}`;
      for (const [index, station] of stations.entries()) {
        await station.signIn(userId);
        pending.add(`${index}:${userId}`);
      }
      publishedAt.set(userId, performance.now());
      await server.revoke(userId, 'benchmark');
      // The publish itself (signing, state written) is inside the measurement: publishedAt is taken before it.
      log(`published ${i + 1}/${publishes}`);
      if (i < publishes - 1) await sleep(spacingMs);
    }
    const limit = setTimeout(() => allDone(), (pollSeconds * 4 + 10) * 1000);
    await done;
    clearTimeout(limit);
    if (pending.size > 0) throw new Error(`${pending.size} sessions were not ended within four poll intervals`);
    return {
      revocation_propagation_p95_ms: round(percentile(samples, 95), 0),
      revocation_poll_seconds: pollSeconds,
      revocation_propagation_p50_ms: round(percentile(samples, 50), 0),
      revocation_propagation_max_ms: round(Math.max(...samples), 0),
      revocation_samples: samples.length,
      revocation_workstations: count,
      revocation_publishes: publishes,
      revocation_target_ms: 60_000,
    };
  } finally {
    for (const station of stations) {
      station.follower.stop();
      station.fetchList.close();
    }
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const figures = await measureRevocationPropagation({
    ...(process.env.BENCH_POLL_SECONDS ? { pollSeconds: Number(process.env.BENCH_POLL_SECONDS) } : {}),
    log: (m) => process.stderr.write(`${m}\n`),
  });
  reportBench('revocation', figures);
}
