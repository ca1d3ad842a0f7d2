import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { systemClock, type Clock } from '../../common/clock.js';
import { ManualClock } from '../../common/manual-clock.js';
import { systemRandom } from '../../common/random.js';
import { SimulatedReader } from '../../native/simulated-reader.js';
import type { DemoEhr } from '../../tools/demo-ehr/demo-ehr.js';
import type { LocalIdp } from '../../tools/local-idp/local-idp.js';
import type { LocalMailbox, ReceivedMail } from '../../tools/mailbox/local-mailbox.js';
import type { ReviewSourceServer } from '../../tools/review-source/review-source-server.js';
import type { RevocationServer } from '../../tools/revocation-server/revocation-server.js';
import { DEMO_USERS, LOCUM, NEW_STARTER, type DemoUser } from '../../tools/local-idp/demo-users.js';
import { scriptedSignIn } from '../../tools/local-idp/scripted-sign-in.js';
import type { CareShell } from '../app/create-careshell.js';
import type { OpenSignInPage } from '../identity/tokens/token-broker.js';
import type { SessionPolicy } from '../policy/session-settings.js';
import type { Workstation } from '../workstation/open-workstation.js';
import { jsonFilePolicySource } from '../policy/json-file-policy-source.js';
import { filePreferenceStore } from '../preferences/file-preference-store.js';
import { problemText, runWorkstation, type WorkstationRun } from '../workstation/run-workstation.js';
import type { EhrFrame } from '../../preload/contract.js';
import type { RendererListener, RendererSurface, Stage, WorkstationHost } from '../workstation/workstation-host.js';
import { builtAppDir } from './built-app.js';
import { EHR_LINK_PATH, startHarnessServer, type HarnessServer } from './harness-server.js';
import { harnessSignInPages } from './harness-sign-in-page.js';
import type { HospitalDescription } from './hospital-description.js';
import { demoPolicy, installDemoPolicy, type DemoPolicyOptions } from './demo-policy.js';
import { revocationAdmin } from './revocation-admin.js';

export interface DemoOptions extends DemoPolicyOptions {
  /** Defaults to the system clock; tests pass a ManualClock, which also enables /control/advance. */
  clock?: Clock;
  port?: number;
  /** Where the demo keeps its policy, journal, enrollments and keys; a fresh temporary folder by default. */
  dataDir?: string;
  /**
   * Opens the identity provider's sign-in page for enrollment; the default prints its URL. An opener that
   * can tell when its page is closed calls the page's cancel(), so the sign-in ends then, not at its timeout.
   */
  openSignIn?: OpenSignInPage;
  quiet?: boolean;
}

export interface DemoWorkstationOptions extends DemoOptions {
  hospital: HospitalDescription;
  /** The workstation's name in audit records (DEMO-WS-01 by default). */
  workstation?: string;
  /** The privacy office's mail, for the control page, when the mailbox runs in this process. */
  mails?: () => readonly ReceivedMail[];
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

/** One demo workstation: the workstation composition, its harness server and its simulated reader. */
export interface DemoWorkstation {
  careshell: CareShell;
  workstation: Workstation;
  /** The workstation composition the Electron shell runs too (main/workstation/run-workstation.ts). */
  run: WorkstationRun;
  server: HarnessServer;
  reader: SimulatedReader;
  /** The hospital services this workstation uses (its own, or another process's: cli --hospital). */
  hospital: HospitalDescription;
  policy: SessionPolicy;
  users: DemoUserCard[];
  /** A valid badge that nobody has enrolled: tapping it starts enrollment. */
  unenrolledBadgeId: string;
  /** A provider account with no badge yet: who enrolls the unenrolled badge. */
  newStarter: DemoUser;
  /** A second unenrolled badge, for the locum (temporary staff) who enrolls it with a sponsor. */
  locumBadgeId: string;
  /** The locum's provider account (role locum): their enrollment needs a sponsor (the charge nurse). */
  locum: DemoUser;
  dataDir: string;
  /** The demo's machine policy file: edit it while the demo runs and the workstation follows it. */
  policyPath: string;
  stop(): Promise<void>;
}

/** The whole demo in one process: the hospital's services and one workstation using them. */
export interface Demo extends DemoWorkstation {
  idp: LocalIdp;
  /** The demo EHR (tools/demo-ehr), the policy's `ehr.url`. */
  ehr: DemoEhr;
  /** The privacy office's mailbox: break-glass alerts arrive here (shown on the control page). */
  mailbox: LocalMailbox;
  /** The review source every workstation's FHIR forwarder writes to and the review queue reads. */
  reviewSource: ReviewSourceServer;
  /** The revocation list's publisher the workstation polls (the hospital's, or the one shared through options). */
  revocations: RevocationServer;
}

const WORKSTATION = 'DEMO-WS-01';
/** One demo PIN per demo user, in order; each passes the PIN policy's guessability rules. */
const DEMO_PINS = ['4826', '7391', '5170', '9264', '3719'];
const UNENROLLED_BADGE = 'H10301:100:2001';

/** The badge of the demo clinician at `index` in DEMO_USERS (the same on every demo workstation). */
export const demoBadgeId = (index: number) => `H10301:100:${1001 + index}`;
const LOCUM_BADGE = 'H10301:100:2002';
/** The demo keeps its keys in a temporary folder; there is no OS keychain to protect them with. */
const noProtection = { name: 'no protection (demo)', protect: (b: Buffer) => b, unprotect: (b: Buffer) => b };

/**
 * The harness draws the EHR in an iframe of its page (renderer/components/ehr/EhrFrame.tsx): one frame, so one
 * cookie jar for every session, signed in again by hand-over whenever a session is shown. It follows the stage:
 * none while locked or another session is shown, hidden under a modal.
 */
function harnessEhrFrame() {
  const listeners = new Set<RendererListener>();
  let stage: Stage = { locked: true, overlay: 'none' };
  let frame: { sessionId: string; url: string; key: number } | undefined;
  let key = 0;
  const push = () => {
    const payload: EhrFrame =
      frame && !stage.locked && stage.ehrSessionId === frame.sessionId
        ? { key: frame.key, url: frame.url, hidden: stage.overlay === 'modal' }
        : null;
    for (const listener of listeners) listener('ehr:frame', payload);
  };
  return {
    subscribe(listener: RendererListener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    load(sessionId: string, url: string) {
      frame = { sessionId, url, key: ++key };
      push();
    },
    present(next: Stage) {
      stage = next;
      push();
    },
  };
}

/**
 * The whole demo in one process: the hospital's services (startHospitalServices) and one workstation using them
 * (startDemoWorkstation).
 */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const clock = options.clock ?? systemClock;
  // The harness listens only once the workstation started, after the EHR: the EHR reads the link page's address late.
  const harness: { origin?: string } = {};
  // Loaded here only: a workstation joining another process's services never loads the identity provider, the
  // EHR or the mail server (their modules are a third of the demo's start-up; docs/performance.md).
  const { startHospitalServices } = await import('./hospital-services.js');
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'careshell-demo-')));
  const shared = options.revocation;
  if (shared?.server && !shared.caPem)
    throw new Error(
      'A shared revocation list publisher (revocation.server) needs the CA of its certificate (revocation.caPem).',
    );
  const services = await startHospitalServices({
    clock,
    dataDir,
    ...(shared?.server && shared.caPem ? { revocation: { server: shared.server, caPem: shared.caPem } } : {}),
    breakGlassLinkVia: () => harness.origin && `${harness.origin}${EHR_LINK_PATH}`,
  });
  let station: DemoWorkstation;
  try {
    station = await startDemoWorkstation({
      ...options,
      clock,
      dataDir,
      hospital: services.description,
      mails: () => services.mailbox.mails,
    });
  } catch (error) {
    await services.stop();
    throw error;
  }
  harness.origin = station.server.origin;
  const { idp, ehr, mailbox, reviewSource, revocations } = services;
  return {
    ...station,
    idp,
    ehr,
    mailbox,
    reviewSource,
    revocations,
    async stop() {
      await station.stop();
      await services.stop();
    },
  };
}

/**
 * A demo workstation: the Electron app's workstation composition (runWorkstation) behind a browser transport, on a
 * policy of its own: a simulated reader, the hospital's identity provider and EHR, demo clinicians with enrolled
 * badges and PINs. On a data folder that already holds their enrollments (a restart, or a copy) it enrolls nobody.
 */
export async function startDemoWorkstation(options: DemoWorkstationOptions): Promise<DemoWorkstation> {
  const { hospital } = options;
  const clock = options.clock ?? systemClock;
  const write = (stream: NodeJS.WriteStream) => (m: string) => void stream.write(`careshell: ${m}\n`);
  const log = { info: options.quiet ? () => {} : write(process.stdout), warn: write(process.stderr) };
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'careshell-demo-')));
  const reader = new SimulatedReader('demo-reader');
  let run: WorkstationRun | undefined;
  try {
    const caFile = path.join(dataDir, 'demo-ca.pem');
    await writeFile(caFile, hospital.caPem, { mode: 0o644 });
    const policyPath = await installDemoPolicy(dataDir, demoPolicy(hospital, caFile, reader.id, options));
    const frame = harnessEhrFrame();
    // Start-up enrollments sign in without a browser; after that, sign-ins go where the caller says.
    let signIn: OpenSignInPage = async () => {};
    const signInPages = harnessSignInPages(() => signIn);
    let surface: RendererSurface | undefined;
    const host: WorkstationHost = {
      workstation: options.workstation ?? WORKSTATION,
      dataDir,
      preferenceStore: filePreferenceStore(dataDir, log),
      policySource: jsonFilePolicySource({
        path: policyPath,
        trust: { platform: 'posix', trustedOwnerUids: [process.getuid?.() ?? 0] },
      }),
      clock,
      random: systemRandom,
      log,
      keyProtector: ({ allowPlaintext }) =>
        allowPlaintext
          ? { ok: true, protector: noProtection }
          : {
              ok: false,
              reason: 'the demo has no OS keychain: its policy must set hardening.allowPlaintextKeyStorage.',
            },
      openSignIn: signInPages.open,
      showSignIn: signInPages.show,
      extraCaPems: [hospital.caPem, ...(hospital.revocationList.caPem ? [hospital.revocationList.caPem] : [])],
      readerOverride: (entry) => (entry.id === reader.id ? reader : undefined),
      serve: (served) => (surface = served),
      // The browser page draws every screen itself, the EHR frame included: no covers, no navigation to police.
      configure: () => {},
      present: (stage) => frame.present(stage),
      loadEhr: (sessionId, url) => frame.load(sessionId, url),
      ehrSharedJar: true,
      terminateEhr: async () => {},
      exit: () => log.info('the workstation has stopped'),
    };
    run = runWorkstation(host);
    await run.ready;
    const parts = run.parts();
    if (!parts || !surface) throw new Error(problemText(run.problem() ?? { kind: 'cannot-start', reason: 'stopped' }));
    const { careshell, workstation } = parts;
    const users = await enrollDemoUsers(workstation, (account) => {
      signIn = scriptedSignIn({ username: account.username, password: account.password, caPem: hospital.caPem });
    });
    signIn = options.openSignIn ?? (async (url) => log.info(`sign in with the identity provider at ${url}`));

    const manual = clock instanceof ManualClock ? clock : undefined;
    const outDir = builtAppDir();
    const running = run;
    const server = await startHarnessServer({
      contract: surface,
      subscribe: (listener) => {
        const offApp = surface!.subscribe(listener);
        const offFrame = frame.subscribe(listener);
        return () => {
          offApp();
          offFrame();
        };
      },
      ehrOrigin: hospital.ehrOrigin,
      controls: {
        badges: [
          ...users.map((u) => ({ label: `${u.displayName} (${u.roles[0]}, PIN ${u.pin})`, badgeId: u.badgeId })),
          { label: 'Unenrolled badge', badgeId: UNENROLLED_BADGE },
          { label: `Locum badge, unenrolled (${LOCUM.displayName}: needs a sponsor)`, badgeId: LOCUM_BADGE },
        ],
        tap: (badgeId) => reader.tap(badgeId),
        ...(options.mails ? { mails: options.mails } : {}),
        remove: () => reader.remove(),
        osEvent: (event) => running.osEvent(event),
        ...(manual ? { advanceClock: (ms: number) => manual.advance(ms) } : {}),
        revocation: {
          users: users.map((u) => ({ userId: u.userId, label: u.displayName })),
          ...revocationAdmin(hospital),
        },
      },
      rendererDir: path.join(outDir, 'renderer'),
      bridgeFile: path.join(outDir, 'harness', 'bridge.js'),
      ...(options.port !== undefined ? { port: options.port } : {}),
      log,
    });
    return {
      careshell,
      workstation,
      run,
      server,
      reader,
      hospital,
      policy: parts.policy().session,
      users,
      unenrolledBadgeId: UNENROLLED_BADGE,
      newStarter: NEW_STARTER,
      locumBadgeId: LOCUM_BADGE,
      locum: LOCUM,
      dataDir,
      policyPath,
      async stop() {
        await server.close();
        await running.stop();
      },
    };
  } catch (error) {
    await run?.stop();
    throw error;
  }
}

/**
 * Enrolls each demo account with its demo badge and PIN through the real enrollment (full sign-in at the
 * local provider, then the PIN), so each has a token cache as a clinician would after enrolling. An account
 * whose badge the data folder already binds to it is left as it is.
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
      badgeId: demoBadgeId(index),
      pin: DEMO_PINS[index % DEMO_PINS.length]!,
    };
    const { enrollment, directory } = workstation.identity;
    const badgeHash = workstation.hashBadge(card.badgeId);
    users.push(card);
    if ((await directory.resolveBadge(badgeHash))?.userId === account.id) continue;
    signInAs(account);
    const pending = await enrollment.beginEnrollment(badgeHash);
    await enrollment.completeEnrollment(pending.id, card.pin);
  }
  return users;
}
