import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { systemClock } from '../../common/clock.js';
import { systemRandom } from '../../common/random.js';
import { careShellPolicySchema, resolveCareShellPolicy } from '../../main/app/careshell-policy.js';
import { createCareShell, type CareShell } from '../../main/app/create-careshell.js';
import { openWorkstation, type Workstation } from '../../main/workstation/open-workstation.js';
import type { SessionOverride } from '../../main/policy/session-settings.js';
import type { SessionView } from '../../preload/contract.js';
import { SimulatedReader } from '../../native/simulated-reader.js';

export interface BenchWorkstation {
  workstation: Workstation;
  careshell: CareShell;
  reader: SimulatedReader;
  /** Binds a badge (and optionally a PIN) to a clinician, as a completed enrollment leaves them. */
  enroll(user: { userId: string; displayName: string; roles: string[] }, badgeId: string, pin?: string): Promise<void>;
  /** Resolves with the first view (the current one included) that `matches`; rejects after `timeoutMs`. */
  waitForView(matches: (view: SessionView) => boolean, timeoutMs?: number): Promise<SessionView>;
  close(): Promise<void>;
}

/**
 * The whole main-process composition as the shell runs it (openWorkstation + createCareShell: reader manager,
 * durable audit journal with its checkpoint timer, identity, session service) on the system clock, in a fresh
 * data folder. Only the badge reader is simulated (there is no USB hardware here), and the identity provider is
 * never reached: enrolled badges sign in without it.
 */
export async function openBenchWorkstation(options: {
  name: string;
  profile?: string;
  session?: SessionOverride;
}): Promise<BenchWorkstation> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `careshell-bench-${options.name}-`));
  const reader = new SimulatedReader('bench-reader');
  const resolved = resolveCareShellPolicy(
    careShellPolicySchema.parse({
      version: 1,
      ...(options.profile ? { profile: options.profile } : {}),
      ...(options.session ? { session: options.session } : {}),
      readers: { readers: [{ driver: 'simulated', id: reader.id }] },
      identity: {
        clientId: 'careshell',
        authority: 'https://idp.invalid/realms/bench',
        knownAuthorities: ['idp.invalid'],
        protocolMode: 'OIDC',
      },
    }),
  );
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems));
  const workstation = await openWorkstation({
    policy: resolved.policy,
    dataDir,
    workstation: 'bench-ws',
    clock: systemClock,
    random: systemRandom,
    protector: { name: 'none (bench)', protect: (b) => b, unprotect: (b) => b },
    // Nobody plays a clinician at a provider here: a sign-in fails at once instead of waiting.
    openSignIn: async () => Promise.reject(new Error('the bench plays no clinician at the identity provider')),
    readerOverride: (entry) => (entry.id === reader.id ? reader : undefined),
    log: { info: () => undefined, warn: (m) => console.warn(m) },
  });
  const careshell = createCareShell(workstation.env);
  await careshell.start();
  return {
    workstation,
    careshell,
    reader,
    async enroll(user, badgeId, pin) {
      await workstation.identity.directory.bind(workstation.hashBadge(badgeId), { ...user, username: user.userId });
      if (pin !== undefined) await workstation.identity.pins.setPin(user.userId, pin);
    },
    waitForView(matches, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const done = (view: SessionView) => {
          clearTimeout(timer);
          unsubscribe();
          resolve(view);
        };
        const timer = setTimeout(() => {
          unsubscribe();
          reject(new Error(`the session never showed the expected view; last: ${JSON.stringify(current())}`));
        }, timeoutMs);
        const current = () => careshell.session.view();
        const unsubscribe = careshell.session.onView((view) => matches(view) && done(view));
        if (matches(current())) done(current());
      });
    },
    async close() {
      await careshell.stop();
      await workstation.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
