import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/manual-clock.js';
import type { Random } from '../../../common/random.js';
import type { AuditEvent } from '../../../main/audit/audit-event.js';
import { AccessRevocations } from '../../../main/identity/access-revocations.js';
import { RevocationFetchError, type FetchAnswer } from '../../../main/revocation/revocation-list-fetch.js';
import {
  followRevocationList,
  type RevocationListFollower,
} from '../../../main/revocation/revocation-list-follower.js';
import { revocationListPolicySchema } from '../../../main/revocation/revocation-list-policy.js';
import { memoryRevocationListStore } from '../../../main/revocation/revocation-list-store.js';
import { edKey, payload, sign, T0, type TestKey } from './revocation-list-fixtures.js';

const POLL_MS = 30_000;

/** A random whose every draw is `u` (0 to <1): the jitter is then exactly known. */
const fixedRandom = (u: number): Random => {
  const n = Math.floor(u * 2 ** 32);
  return {
    uuid: () => 'id',
    bytes: (length) => new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].slice(0, length)),
  };
};

/** The list server as the follower sees it: answers queued by the test, with ETags. */
function fakeServer() {
  let body: string | undefined;
  let etag = 0;
  let failWith: RevocationFetchError | undefined;
  const requests: (string | undefined)[] = [];
  return {
    requests,
    publish(jws: string) {
      body = jws;
      etag += 1;
    },
    fail(error: RevocationFetchError | undefined) {
      failWith = error;
    },
    async fetchList(sent: string | undefined): Promise<FetchAnswer> {
      requests.push(sent);
      if (failWith) throw failWith;
      if (body === undefined) throw new RevocationFetchError('http-status', 'HTTP 404');
      const tag = `"v${etag}"`;
      return sent === tag ? { kind: 'not-modified' } : { kind: 'list', body, etag: tag };
    },
  };
}

interface Rig {
  clock: ManualClock;
  key: TestKey;
  server: ReturnType<typeof fakeServer>;
  store: ReturnType<typeof memoryRevocationListStore>;
  revocations: AccessRevocations;
  revoked: string[];
  audited: AuditEvent[];
  follower: RevocationListFollower;
  /** Advances the clock and lets the poll's promises settle. */
  advance(ms: number): Promise<void>;
}

async function rig(
  options: { key?: TestKey; kept?: string; clock?: ManualClock; enrolled?: string[] } = {},
): Promise<Rig> {
  const clock = options.clock ?? new ManualClock(new Date(T0));
  const key = options.key ?? (await edKey());
  const server = fakeServer();
  const store = memoryRevocationListStore(options.kept);
  const revocations = new AccessRevocations([{ userId: 'policy-user', reason: 'in policy' }]);
  const revoked: string[] = [];
  const audited: AuditEvent[] = [];
  const enrolled = new Set(options.enrolled ?? []);
  const follower = followRevocationList({
    policy: revocationListPolicySchema.parse({ url: 'https://list.test/r.jws', publicKeys: [key.jwk] }),
    fetchList: (etag) => server.fetchList(etag),
    store,
    revocations,
    revoke: async (userId) => {
      revoked.push(userId);
      return { unenrolled: enrolled.delete(userId) };
    },
    audit: { append: async (event) => void audited.push(event) },
    clock,
    random: fixedRandom(0.5),
    workstation: 'WS-1',
    log: { info: () => {}, warn: () => {} },
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
  return {
    clock,
    key,
    server,
    store,
    revocations,
    revoked,
    audited,
    follower,
    async advance(ms) {
      clock.advance(ms);
      for (let i = 0; i < 6; i += 1) await settle();
    },
  };
}

const types = (events: AuditEvent[]) => events.map((e) => e.type);

describe('following the signed revocation list', () => {
  it('fetches soon after start, then every poll interval (jittered, never longer), with If-None-Match', async () => {
    const r = await rig();
    r.server.publish(await sign(r.key, payload(1, ['u-1'])));
    await r.follower.start();
    await r.advance(0.2 * POLL_MS * 0.5 - 1);
    expect(r.server.requests).toHaveLength(0);
    await r.advance(1);
    expect(r.server.requests).toEqual([undefined]);
    // Each wait is 80-100 % of the interval: 90 % with this random.
    await r.advance(0.9 * POLL_MS);
    expect(r.server.requests).toEqual([undefined, '"v1"']);
    await r.advance(0.9 * POLL_MS);
    expect(r.server.requests).toHaveLength(3);
    expect(r.revoked).toEqual(['u-1']);
    r.follower.stop();
  });

  it('applies a new list: each newly listed account is revoked and audited once; one taken off may enroll again', async () => {
    const r = await rig({ enrolled: ['u-1', 'u-2'] });
    await r.follower.start();
    r.server.publish(await sign(r.key, payload(1, ['u-1'])));
    await r.follower.pollNow();
    expect(r.revoked).toEqual(['u-1']);
    expect(r.revocations.reasonFor('u-1')).toBe('left (u-1)');
    expect(r.store.saved()).toBeDefined();
    r.server.publish(await sign(r.key, payload(2, ['u-1', 'u-2'])));
    await r.follower.pollNow();
    expect(r.revoked).toEqual(['u-1', 'u-2']);
    r.server.publish(await sign(r.key, payload(3, ['u-2'])));
    await r.follower.pollNow();
    expect(r.revoked).toEqual(['u-1', 'u-2']);
    expect(r.revocations.reasonFor('u-1')).toBeUndefined();
    // The policy's own list is a second source, untouched by the signed list.
    expect(r.revocations.reasonFor('policy-user')).toBe('in policy');
    expect(types(r.audited)).toEqual([
      'revocation.list.applied',
      'revocation.apply',
      'revocation.list.applied',
      'revocation.apply',
      'revocation.list.applied',
    ]);
    expect(r.audited[2]!.details).toMatchObject({ sequence: 2, revoked: 2, added: 1, removed: 0 });
    expect(r.audited[3]).toMatchObject({ actor: { userId: 'u-2' }, details: { unenrolled: true, sequence: 2 } });
    expect(r.audited[4]!.details).toMatchObject({ sequence: 3, revoked: 1, added: 0, removed: 1 });
    expect(r.follower.status()).toMatchObject({ sequence: 3, revokedCount: 1 });
    expect(r.follower.status().problem).toBeUndefined();
  });

  it('keeps the last good list on a tampered one, reports it once while it lasts, and clears it on a good one', async () => {
    const r = await rig();
    await r.follower.start();
    r.server.publish(await sign(r.key, payload(1, ['u-1'])));
    await r.follower.pollNow();
    const good = await sign(r.key, payload(2, ['u-1', 'u-2']));
    const [h, , s] = good.split('.');
    r.server.publish(`${h}.${Buffer.from(JSON.stringify(payload(2, []))).toString('base64url')}.${s}`);
    for (let i = 0; i < 3; i += 1) await r.follower.pollNow();
    expect(r.revocations.reasonFor('u-1')).toBeDefined();
    expect(r.follower.status()).toMatchObject({ sequence: 1, problem: { code: 'bad-signature' } });
    expect(types(r.audited).filter((t) => t === 'revocation.list.refused')).toHaveLength(1);
    expect(r.audited.at(-1)).toMatchObject({
      outcome: 'failure',
      details: { problem: 'bad-signature', keptSequence: 1 },
    });
    r.server.publish(good);
    await r.follower.pollNow();
    expect(r.follower.status()).toMatchObject({ sequence: 2 });
    expect(r.follower.status().problem).toBeUndefined();
    expect(r.revoked).toEqual(['u-1', 'u-2']);
  });

  it('refuses a replayed older list, and a stale one, keeping the last good', async () => {
    const r = await rig();
    await r.follower.start();
    const first = await sign(r.key, payload(1, ['u-1']));
    r.server.publish(await sign(r.key, payload(2, ['u-1'])));
    await r.follower.pollNow();
    r.server.publish(first);
    await r.follower.pollNow();
    expect(r.follower.status()).toMatchObject({ sequence: 2, problem: { code: 'rollback' } });
    r.server.publish(await sign(r.key, payload(3, [], T0 - 2 * 3_600_000)));
    await r.follower.pollNow();
    expect(r.follower.status()).toMatchObject({ sequence: 2, problem: { code: 'stale' } });
    expect(r.revocations.reasonFor('u-1')).toBeDefined();
    expect(r.audited.filter((e) => e.type === 'revocation.list.refused').map((e) => e.details?.problem)).toEqual([
      'rollback',
      'stale',
    ]);
  });

  it('reports the kept list once when it grows stale, and keeps applying it', async () => {
    const r = await rig();
    r.server.publish(await sign(r.key, payload(1, ['u-1'])));
    await r.follower.start();
    await r.follower.pollNow();
    r.server.fail(new RevocationFetchError('unreachable', 'connection refused'));
    await r.advance(61 * 60_000);
    expect(r.follower.status()).toMatchObject({ sequence: 1, stale: expect.stringMatching(/more than 60 minutes/) });
    expect(r.revocations.reasonFor('u-1')).toBeDefined();
    expect(types(r.audited).filter((t) => t === 'revocation.list.stale')).toHaveLength(1);
    expect(types(r.audited).filter((t) => t === 'revocation.list.refused')).toHaveLength(1);
  });

  it('backs off on errors to at most four intervals, and polls at the interval again once answered', async () => {
    const r = await rig();
    r.server.fail(new RevocationFetchError('tls', 'certificate expired'));
    await r.follower.start();
    await r.advance(0.1 * POLL_MS);
    const at = () => r.server.requests.length;
    expect(at()).toBe(1);
    // Waits of 2, 4, 4, 4 intervals (times 0.9 jitter).
    for (const polls of [2, 4, 4, 4]) {
      await r.advance(polls * 0.9 * POLL_MS - 1);
      const before = at();
      await r.advance(1);
      expect(at()).toBe(before + 1);
    }
    r.server.fail(undefined);
    r.server.publish(await sign(r.key, payload(1, [])));
    await r.advance(4 * 0.9 * POLL_MS);
    const after = at();
    await r.advance(0.9 * POLL_MS);
    expect(at()).toBe(after + 1);
    expect(r.follower.status().problem).toBeUndefined();
    expect(r.audited.filter((e) => e.type === 'revocation.list.refused').map((e) => e.details?.problem)).toEqual([
      'tls',
    ]);
  });

  it('applies the list kept from the last run before any fetch, after verifying it again', async () => {
    const key = await edKey();
    const kept = await sign(key, payload(4, ['u-1', 'u-2']));
    const r = await rig({ key, kept, enrolled: ['u-2'] });
    await r.follower.start();
    expect(r.server.requests).toHaveLength(0);
    expect(r.revoked).toEqual(['u-1', 'u-2']);
    expect(r.revocations.reasonFor('u-1')).toBeDefined();
    expect(r.follower.status()).toMatchObject({ sequence: 4 });
    // Only what was done again is audited: u-2 was still enrolled here.
    expect(types(r.audited)).toEqual(['revocation.list.applied', 'revocation.apply']);
    expect(r.audited[0]!.details).toMatchObject({ restored: true, sequence: 4 });
    // Rollback protection survives the restart.
    r.server.publish(await sign(key, payload(3, [])));
    await r.follower.pollNow();
    expect(r.follower.status()).toMatchObject({ sequence: 4, problem: { code: 'rollback' } });
  });

  it('applies a kept list that went stale while the workstation was off, and reports it once', async () => {
    const key = await edKey();
    const kept = await sign(key, payload(4, ['u-1'], T0 - 3 * 3_600_000));
    const r = await rig({ key, kept });
    await r.follower.start();
    expect(r.revoked).toEqual(['u-1']);
    expect(r.follower.status()).toMatchObject({ sequence: 4, stale: expect.stringMatching(/more than 60 minutes/) });
    await r.follower.pollNow();
    expect(types(r.audited).filter((t) => t === 'revocation.list.stale')).toHaveLength(1);
    r.server.publish(await sign(key, payload(5, ['u-1'])));
    await r.follower.pollNow();
    expect(r.follower.status().stale).toBeUndefined();
  });

  it('ignores a kept list no pinned key verifies (altered on disk, key retired) and says so', async () => {
    const kept = await sign(await edKey(), payload(4, ['u-1']));
    const r = await rig({ kept });
    await r.follower.start();
    expect(r.revoked).toEqual([]);
    expect(r.follower.status().problem).toMatchObject({ message: expect.stringMatching(/kept from the last run/) });
    expect(r.audited[0]).toMatchObject({ type: 'revocation.list.refused', details: { problem: 'bad-signature' } });
  });
});
