import path from 'node:path';
import type { ResolvedPolicy } from '../app/careshell-policy.js';
import type { CareShellEnvironment } from '../app/create-careshell.js';
import { readEvents } from '../audit/journal/journal-reader.js';
import { ehrHandoverUrl, grantApiAdapter } from '../break-glass/grant-api-adapter.js';
import { accessGrantApiAdapter } from '../just-in-time/access-grant-api-adapter.js';
import type { Workstation } from './open-workstation.js';
import type { WorkstationHost } from './workstation-host.js';

/** Journals are read for the frequency rule up to this many events (docs/break-glass.md#frequency-rules). */
const MAX_EVENTS_SCANNED = 200_000;

/** The user's access token from the identity layer's silent token request, or undefined. */
export async function accessTokenOf(workstation: Workstation, userId: string): Promise<string | undefined> {
  const outcome = await workstation.env.tokens.tokensForUnlock(userId);
  return outcome.ok && outcome.identity.userId === userId ? outcome.identity.accessToken : undefined;
}

/**
 * Break-glass's part of the CareShell environment, from the policy's `ehr` and `breakGlass` sections: the grant
 * API of the EHR (main/break-glass/grant-api-adapter.ts), the user's tokens and roles, this workstation's journal
 * for the frequency rule, and the host's EHR views for reloading a chart.
 */
export function breakGlassEnvironment(
  policy: ResolvedPolicy,
  workstation: Workstation,
  host: Pick<WorkstationHost, 'dataDir' | 'loadEhr'>,
): CareShellEnvironment['breakGlass'] {
  if (!policy.ehr || !policy.breakGlass) return undefined;
  const journalDir = path.join(host.dataDir, 'audit');
  return {
    policy: policy.breakGlass,
    adapter: grantApiAdapter(policy.ehr.url),
    ehrUrl: policy.ehr.url,
    accessToken: (userId) => accessTokenOf(workstation, userId),
    profile: (userId) => workstation.identity.directory.account(userId),
    async episodesSince(userId, sinceIso) {
      const { events } = await readEvents(journalDir, undefined, { maxEvents: MAX_EVENTS_SCANNED });
      return events.filter(
        ({ event }) =>
          event.type === 'breakglass.start' &&
          event.outcome === 'success' &&
          event.actor?.userId === userId &&
          event.at >= sinceIso,
      ).length;
    },
    navigate: (sessionId, url) => host.loadEhr?.(sessionId, url),
  };
}

/** The hand-over sign-in of a session's EHR view. */
export function ehrHandover(policy: ResolvedPolicy, workstation: Workstation) {
  return async (userId: string, returnTo: string): Promise<string> => {
    const token = await accessTokenOf(workstation, userId);
    if (!policy.ehr || !token) throw new Error('no access token for the EHR hand-over');
    return ehrHandoverUrl(policy.ehr.url, token, returnTo);
  };
}

/**
 * Just-in-time access's part of the CareShell environment, from the policy's `ehr` and `justInTime` sections: the
 * access-grant API of the EHR (main/just-in-time/access-grant-api-adapter.ts), the requester's and the approver's
 * tokens and roles, and the host's EHR views for opening the granted scope.
 */
export function justInTimeEnvironment(
  policy: ResolvedPolicy,
  workstation: Workstation,
  host: Pick<WorkstationHost, 'loadEhr'>,
): CareShellEnvironment['justInTime'] {
  if (!policy.ehr || !policy.justInTime) return undefined;
  return {
    policy: policy.justInTime,
    adapter: accessGrantApiAdapter(policy.ehr.url),
    ehrUrl: policy.ehr.url,
    accessToken: (userId) => accessTokenOf(workstation, userId),
    profile: (userId) => workstation.identity.directory.account(userId),
    navigate: (sessionId, url) => host.loadEhr?.(sessionId, url),
  };
}
