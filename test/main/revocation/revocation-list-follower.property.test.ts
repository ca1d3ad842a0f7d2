import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/manual-clock.js';
import { AccessRevocations } from '../../../main/identity/access-revocations.js';
import type { FetchAnswer } from '../../../main/revocation/revocation-list-fetch.js';
import { followRevocationList } from '../../../main/revocation/revocation-list-follower.js';
import {
  revocationListPolicySchema,
  type RevocationPublicKey,
} from '../../../main/revocation/revocation-list-policy.js';
import { memoryRevocationListStore } from '../../../main/revocation/revocation-list-store.js';
import { edKey, payload, sign, T0 } from './revocation-list-fixtures.js';

const USERS = ['u-1', 'u-2', 'u-3', 'u-4'];
const POLICY_LISTED = ['u-4'];
const SEQUENCES = 6;

/** One list the server may serve: a signed one (sequence, users), the same one altered, or junk. */
interface Served {
  jws: string;
  valid: boolean;
  sequence: number;
  users: string[];
}

/**
 * Whatever a server serves, in whatever order (replays, forgeries, junk): the applied sequence never goes down,
 * what is applied is always the highest valid list seen, and an account is refused exactly while the policy or the
 * applied list names it. Lists are signed once up front: the runs exercise the follower, not the signer.
 */
describe('the revocation list follower under any sequence of answers', () => {
  const pool: Served[] = [];
  let jwk: RevocationPublicKey;

  beforeAll(async () => {
    const key = await edKey();
    jwk = key.jwk;
    for (let sequence = 1; sequence <= SEQUENCES; sequence += 1) {
      for (let mask = 0; mask < 8; mask += 1) {
        const users = USERS.filter((_, i) => mask & (1 << i));
        const jws = await sign(key, payload(sequence, users));
        pool.push({ jws, valid: true, sequence, users });
        const [h, , s] = jws.split('.');
        const altered = Buffer.from(JSON.stringify(payload(sequence, USERS))).toString('base64url');
        pool.push({ jws: `${h}.${altered}.${s}`, valid: false, sequence, users: USERS });
      }
    }
    pool.push({ jws: 'not a list', valid: false, sequence: 0, users: [] });
  });

  it('never applies a lower sequence, and refuses exactly the union of the policy and the applied list', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: 1, maxLength: 12 }), async (picks) => {
        const served = picks.map((n) => pool[n % pool.length]!);
        const revocations = new AccessRevocations(POLICY_LISTED.map((userId) => ({ userId, reason: 'policy' })));
        const revoked = new Set<string>();
        let next = 0;
        const follower = followRevocationList({
          policy: revocationListPolicySchema.parse({ url: 'https://list.test/r.jws', publicKeys: [jwk] }),
          fetchList: async (): Promise<FetchAnswer> => ({ kind: 'list', body: served[next++]!.jws }),
          store: memoryRevocationListStore(),
          revocations,
          revoke: async (userId) => (revoked.add(userId), { unenrolled: false }),
          audit: { append: async () => {} },
          clock: new ManualClock(new Date(T0)),
          random: { uuid: () => 'x', bytes: (n) => new Uint8Array(n) },
          workstation: 'WS',
          log: { info: () => {}, warn: () => {} },
        });
        let best: Served | undefined;
        let applied = 0;
        for (const answer of served) {
          await follower.pollNow();
          if (answer.valid && answer.sequence > (best?.sequence ?? 0)) best = answer;
          const now = follower.status().sequence ?? 0;
          expect(now).toBeGreaterThanOrEqual(applied);
          applied = now;
          expect(now).toBe(best?.sequence ?? 0);
          for (const user of USERS) {
            const listed = POLICY_LISTED.includes(user) || (best?.users.includes(user) ?? false);
            expect(revocations.reasonFor(user) !== undefined).toBe(listed);
            // Whoever the applied list names has been revoked here (sessions ended, enrollment removed).
            if (best?.users.includes(user)) expect(revoked.has(user)).toBe(true);
          }
        }
        follower.stop();
      }),
      { numRuns: 2_000 },
    );
  }, 120_000);
});
