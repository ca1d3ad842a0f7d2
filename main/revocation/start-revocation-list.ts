import { readFile } from 'node:fs/promises';
import type { Clock } from '../../common/clock.js';
import type { Random } from '../../common/random.js';
import type { AuditSink } from '../audit/audit-event.js';
import type { Identity } from '../identity/create-identity.js';
import type { SessionService } from '../session/session-service.js';
import { httpsRevocationFetch } from './revocation-list-fetch.js';
import { followRevocationList, type RevocationListFollower } from './revocation-list-follower.js';
import type { RevocationListPolicy } from './revocation-list-policy.js';
import { fileRevocationListStore } from './revocation-list-store.js';

export interface StartRevocationListOptions {
  policy: RevocationListPolicy;
  /** identity.extraCaFiles, read already, and the host's own CAs (the demo's test CA). */
  extraCaPems: readonly string[];
  dataDir: string;
  identity: Pick<Identity, 'directory' | 'enrollment' | 'revocations'>;
  session: Pick<SessionService, 'handle'>;
  audit: AuditSink;
  clock: Clock;
  random: Random;
  workstation: string;
  log: { info(message: string): void; warn(message: string): void };
  changed?(): void;
}

/** Who unenrolls an account the revocation list names: IT, through the list. */
const REVOCATION_LIST_ACTOR = { userId: 'revocation-list', displayName: 'Revocation list (IT)' };

/**
 * The running workstation follows identity.revocationList: the list kept from the last run is applied before
 * this resolves, then the list is polled. A listed account is revoked the way identity.revoked revokes one
 * (main/workstation/machine-policy-updates.ts): its enrollment removed (badge, PIN, tokens) and every session of
 * it ended through the session engine, which ends its grants.
 */
export async function startRevocationList(
  options: StartRevocationListOptions,
): Promise<RevocationListFollower & { stop(): void }> {
  const { identity, session } = options;
  const extraCaPems = [
    ...options.extraCaPems,
    ...(await Promise.all(options.policy.extraCaFiles.map((file) => readFile(file, 'utf8')))),
  ];
  const fetchList = httpsRevocationFetch({ url: options.policy.url, extraCaPems, clock: options.clock });
  const follower = followRevocationList({
    ...options,
    fetchList,
    store: fileRevocationListStore(options.dataDir),
    revocations: identity.revocations,
    async revoke(userId, reason) {
      // Only an enrolled account is unenrolled; sessions end either way (one may be open from before).
      const unenrolled = (await identity.directory.account(userId))
        ? await identity.enrollment.unenroll(userId, REVOCATION_LIST_ACTOR, `revoked by the revocation list: ${reason}`)
        : false;
      await session.handle({ type: 'admin-revoke', userId, reason: `revocation list: ${reason}` });
      return { unenrolled };
    },
  });
  await follower.start();
  return {
    ...follower,
    stop() {
      follower.stop();
      fetchList.close();
    },
  };
}
