import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { systemClock, type Clock } from '../../common/clock.js';
import { ManualClock } from '../../common/manual-clock.js';
import { systemRandom } from '../../common/random.js';
import { SimulatedReader } from '../../native/simulated-reader.js';
import { startLocalIdp, type LocalIdp } from '../../tools/local-idp/local-idp.js';
import { DEMO_USERS, NEW_STARTER, type DemoUser } from '../../tools/local-idp/demo-users.js';
import { scriptedSignIn } from '../../tools/local-idp/scripted-sign-in.js';
import { careShellPolicySchema, resolveCareShellPolicy, type CareShellPolicyFile } from '../app/careshell-policy.js';
import { createCareShell, type CareShell } from '../app/create-careshell.js';
import { openWorkstation, type Workstation } from '../app/open-workstation.js';
import type { OpenSignInPage } from '../identity/tokens/token-broker.js';
import { describeProblems } from '../policy/policy-problem.js';
import type { SessionPolicy } from '../policy/session-settings.js';
import { startHarnessServer, type HarnessServer } from './harness-server.js';

export interface DemoOptions {
  /** Defaults to the system clock; tests pass a ManualClock, which also enables /control/advance. */
  clock?: Clock;
  port?: number;
  profile?: string;
  /** Where the demo keeps its journal, enrollments and keys; a fresh temporary folder by default. */
  dataDir?: string;
  /**
   * Opens the identity provider's sign-in page for enrollment; the default prints its URL. An opener that
   * can tell when its page is closed calls the page's cancel(), so the sign-in ends then, not at its timeout.
   */
  openSignIn?: OpenSignInPage;
  quiet?: boolean;
}

/** A demo clinician: an identity-provider account with an enrolled badge and a PIN. */
export interface DemoUserCard {
  userId: string;
  displayName: string;
  roles: string[];
  username: string;
  password: string;
  badgeId: string;
  pin: string;
}

export interface Demo {
  careshell: CareShell;
  workstation: Workstation;
  server: HarnessServer;
  reader: SimulatedReader;
  idp: LocalIdp;
  policy: SessionPolicy;
  users: DemoUserCard[];
  /** A valid badge that nobody has enrolled: tapping it starts enrollment. */
  unenrolledBadgeId: string;
  /** A provider account with no badge yet: who enrolls the unenrolled badge. */
  newStarter: DemoUser;
  dataDir: string;
  stop(): Promise<void>;
}

const WORKSTATION = 'DEMO-WS-01';
/** One demo PIN per demo user, in order; each passes the PIN policy's guessability rules. */
const DEMO_PINS = ['4826', '7391', '5170', '9264'];
const UNENROLLED_BADGE = 'H10301:100:2001';
/** The demo keeps its keys in a temporary folder; there is no OS keychain to protect them with. */
const noProtection = { name: 'no protection (demo)', protect: (b: Buffer) => b, unprotect: (b: Buffer) => b };

/** The embedded defaults: what `npm run demo` runs on instead of /etc/careshell/policy.json. */
function demoPolicy(idp: LocalIdp, readerId: string, profile: string | undefined): CareShellPolicyFile {
  return careShellPolicySchema.parse({
    version: 1,
    ...(profile ? { profile } : {}),
    readers: {
      readers: [{ driver: 'simulated', id: readerId, description: 'Demo badge reader', presence: true }],
      fallback: 'Use the demo controls page to tap a badge.',
    },
    identity: {
      clientId: idp.msal.clientId,
      authority: idp.msal.authority,
      knownAuthorities: idp.msal.knownAuthorities,
      protocolMode: idp.msal.protocolMode,
      consentForOfflineAccess: idp.msal.consentForOfflineAccess,
    },
  });
}

/**
 * The demo: the Electron app's composition (openWorkstation + createCareShell) on embedded defaults: a
 * simulated reader, the local OpenID provider, demo clinicians with enrolled badges and PINs.
 */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const clock = options.clock ?? systemClock;
  const write = (stream: NodeJS.WriteStream) => (m: string) => void stream.write(`careshell: ${m}\n`);
  const log = { info: options.quiet ? () => {} : write(process.stdout), warn: write(process.stderr) };
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'careshell-demo-')));
  const reader = new SimulatedReader('demo-reader');
  const idp = await startLocalIdp();
  try {
    const resolved = resolveCareShellPolicy(demoPolicy(idp, reader.id, options.profile));
    if (!resolved.ok) throw new Error(describeProblems('the demo policy', resolved.problems));
    // Start-up enrollments sign in without a browser; after that, sign-ins go where the caller says.
    let signIn: OpenSignInPage = async () => {};
    const workstation = await openWorkstation({
      policy: resolved.policy,
      dataDir,
      workstation: WORKSTATION,
      clock,
      random: systemRandom,
      protector: noProtection,
      openSignIn: (url, page) => signIn(url, page),
      extraCaPems: [idp.caPem],
      readerOverride: (entry) => (entry.id === reader.id ? reader : undefined),
      log,
    });
    const users = await enrollDemoUsers(workstation, (account) => {
      signIn = scriptedSignIn({ username: account.username, password: account.password, caPem: idp.caPem });
    });
    signIn = options.openSignIn ?? (async (url) => log.info(`sign in with the identity provider at ${url}`));
    const careshell = createCareShell(workstation.env);
    await careshell.start();

    const manual = clock instanceof ManualClock ? clock : undefined;
    const outDir = path.resolve(import.meta.dirname, '../../out');
    const server = await startHarnessServer({
      contract: careshell.contract,
      subscribe: (listener) => careshell.subscribe(listener),
      controls: {
        badges: [
          ...users.map((u) => ({ label: `${u.displayName} (${u.roles[0]}, PIN ${u.pin})`, badgeId: u.badgeId })),
          { label: 'Unenrolled badge', badgeId: UNENROLLED_BADGE },
        ],
        tap: (badgeId) => reader.tap(badgeId),
        remove: () => reader.remove(),
        osEvent: (event) => careshell.session.handle({ type: 'os', event }),
        ...(manual ? { advanceClock: (ms: number) => manual.advance(ms) } : {}),
      },
      rendererDir: path.join(outDir, 'renderer'),
      bridgeFile: path.join(outDir, 'harness', 'bridge.js'),
      ...(options.port !== undefined ? { port: options.port } : {}),
      log,
    });
    return {
      careshell,
      workstation,
      server,
      reader,
      idp,
      policy: resolved.policy.session,
      users,
      unenrolledBadgeId: UNENROLLED_BADGE,
      newStarter: NEW_STARTER,
      dataDir,
      async stop() {
        await server.close();
        await careshell.stop();
        await workstation.close();
        await idp.stop();
      },
    };
  } catch (error) {
    await idp.stop();
    throw error;
  }
}

/**
 * Enrolls each demo account with its demo badge and PIN through the real enrollment (full sign-in at the
 * local provider, then the PIN), so each has a token cache as a clinician would after enrolling.
 */
async function enrollDemoUsers(
  workstation: Workstation,
  signInAs: (account: DemoUser) => void,
): Promise<DemoUserCard[]> {
  const users: DemoUserCard[] = [];
  for (const [index, account] of DEMO_USERS.entries()) {
    const card: DemoUserCard = {
      userId: account.id,
      displayName: account.displayName,
      roles: [...account.roles],
      username: account.username,
      password: account.password,
      badgeId: `H10301:100:${1001 + index}`,
      pin: DEMO_PINS[index % DEMO_PINS.length]!,
    };
    const { enrollment } = workstation.identity;
    signInAs(account);
    const pending = await enrollment.beginEnrollment(workstation.hashBadge(card.badgeId));
    await enrollment.completeEnrollment(pending.id, card.pin);
    users.push(card);
  }
  return users;
}
