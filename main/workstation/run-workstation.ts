import { readFile } from 'node:fs/promises';
import { assertNever, messageOf } from '../../common/errors.js';
import type { ReaderConfig } from '../../native/manager/reader-config.js';
import type { ResolvedPolicy } from '../app/careshell-policy.js';
import { createCareShell, type CareShell } from '../app/create-careshell.js';
import type { KeyProtector } from '../app/installation-secrets.js';
import { policyErrorContract } from '../contract/policy-error-contract.js';
import type { AuditEvent } from '../audit/audit-event.js';
import { startHealthMonitor, type HealthReading } from '../health/health-monitor.js';
import { statusFilePath } from '../health/workstation-status.js';
import { describeProblems } from '../policy/policy-problem.js';
import type { RevocationListFollower } from '../revocation/revocation-list-follower.js';
import { startRevocationList } from '../revocation/start-revocation-list.js';
import { preferenceService, type PreferenceService } from '../preferences/preference-service.js';
import { memoryPreferenceStore } from '../preferences/preference-store.js';
import { breakGlassEnvironment, ehrHandover, justInTimeEnvironment } from './ehr-composition.js';
import { followEhrSignIn } from './ehr-sign-in.js';
import { followMachinePolicy, type MachinePolicyUpdates } from './machine-policy-updates.js';
import { openWorkstation, type Workstation } from './open-workstation.js';
import { LOCKED_STAGE, stageOf } from './stage.js';
import { switchableSurface } from './switchable-surface.js';
import { startTapCueReaders, type StopTapCue } from './tap-cue-readers.js';
import type { RendererListener, RunningWorkstation, Stage, StartProblem, WorkstationHost } from './workstation-host.js';
import { recordStartProblem } from './workstation-journal.js';
import { hostSettingsOf, readWorkstationPolicy } from './workstation-policy.js';

export interface RunWorkstationOptions {
  /**
   * How changes to the machine policy are noticed: by default its source's own watch (a watched folder, or
   * polling the registry).
   * Tests call onChange themselves.
   */
  watchPolicy?: (onChange: () => void) => () => void;
}

/** A running workstation's parts: what the harness drives (its enrollments, its controls) and tests inspect. */
export interface WorkstationParts {
  careshell: CareShell;
  workstation: Workstation;
  /** The last valid machine policy. */
  policy(): ResolvedPolicy;
  /** The signed revocation list, when identity.revocationList is set. */
  revocationList?: RevocationListFollower;
}

export interface WorkstationRun extends RunningWorkstation {
  /** The running workstation, or undefined while it is locked on a start problem (or stopped). */
  parts(): WorkstationParts | undefined;
}

interface Running extends WorkstationParts {
  updates: MachinePolicyUpdates;
  preferences: PreferenceService;
  disposers: (() => void)[];
}

type Phase =
  | { kind: 'booting' }
  | { kind: 'problem'; problem: StartProblem }
  | { kind: 'running'; running: Running }
  | { kind: 'stopped' };

/** What the locked screen says for each start problem: what is wrong and who does what about it. */
export function problemText(problem: StartProblem): string {
  switch (problem.kind) {
    case 'not-configured':
      return (
        `This workstation is not configured yet: IT must install its machine policy at ${problem.policyPath} ` +
        '(see docs/policy.md). It stays locked until then.'
      );
    case 'invalid-policy':
      return `${problem.problems}\nSee docs/policy.md.`;
    case 'cannot-start':
      return `CareShell cannot start: ${problem.reason}\nThe workstation stays locked; call IT.`;
  }
}

/** How each start problem is told to the audit trail. */
function problemRecord(problem: StartProblem, text: string): Pick<AuditEvent, 'type' | 'reason'> {
  return { type: problem.kind === 'cannot-start' ? 'workstation.start_failed' : 'policy.invalid', reason: text };
}

/** What the status file and the heartbeat say about each phase (docs/it-guide.md#health). */
function healthOf(phase: Phase): HealthReading {
  switch (phase.kind) {
    case 'booting':
      return { state: 'starting' };
    case 'stopped':
      return { state: 'stopped' };
    case 'problem':
      return { state: 'locked', problem: { kind: phase.problem.kind, message: problemText(phase.problem) } };
    case 'running': {
      const { workstation, updates } = phase.running;
      return {
        state: 'running',
        policy: updates.policy(),
        readers: workstation.env.readers.status(),
        forwarders: workstation.forwarding.status(),
        journalSeq: workstation.journal.durableHead().seq,
        journal: workstation.journal,
        ...(phase.running.revocationList ? { revocationList: phase.running.revocationList.status() } : {}),
      };
    }
    default:
      return assertNever(phase);
  }
}

/**
 * The one workstation composition, for the Electron shell and the demo harness alike (docs/workstation.md). It
 * never exits and never shows the desktop: no policy, an invalid one, or any start error is a locked screen
 * that explains itself (and is journaled where a journal can be opened), left as soon as the policy file is
 * corrected. While running it follows the policy file (a deleted or broken file locks and keeps the last
 * valid policy), decides every stage from the session view and its overlays, turns OS events into session
 * inputs, allows quitting only when policy does, and stops in order: session engine, forwarders, journal.
 */
export function runWorkstation(host: WorkstationHost, options: RunWorkstationOptions = {}): WorkstationRun {
  const { log } = host;
  const screen = switchableSurface();
  let presented = '';
  /** Each view publish (a countdown tick) would repeat the stage: the host hears only of changes. */
  const present = (stage: Stage) => {
    const key = JSON.stringify(stage);
    if (key === presented) return;
    presented = key;
    host.present(stage);
  };
  host.serve(screen.surface);
  present(LOCKED_STAGE);

  let phase: Phase = { kind: 'booting' };
  const health = startHealthMonitor({
    clock: host.clock,
    workstation: host.workstation,
    appVersion: host.appVersion ?? 'unknown',
    policySource: host.policySource.describe(),
    statusFile: statusFilePath(host.dataDir),
    read: () => healthOf(phase),
    log,
  });
  let stopping: Promise<void> | undefined;
  let queue: Promise<void> = Promise.resolve();
  /** Boots and policy changes run one after another, never interleaved. */
  const serially = (work: () => Promise<void>) => {
    queue = queue.then(work).catch((error: unknown) => log.warn(`workstation: ${messageOf(error)}`));
    return queue;
  };
  const journalOptions = (protector: KeyProtector) => ({
    dataDir: host.dataDir,
    protector,
    clock: host.clock,
    random: host.random,
    workstation: host.workstation,
  });

  /** The readers of the locked screen, confirming taps only (tap-cue-readers.ts); stopped before anything opens them. */
  let stopTapCue: StopTapCue = async () => {};
  const releaseReaders = async () => {
    const stop = stopTapCue;
    stopTapCue = async () => {};
    await stop().catch((error: unknown) => log.warn(`readers: stop: ${messageOf(error)}`));
  };

  async function lockOn(problem: StartProblem, protector?: KeyProtector, readers?: ReaderConfig): Promise<void> {
    await releaseReaders();
    phase = { kind: 'problem', problem };
    void health.changed();
    const text = problemText(problem);
    log.warn(text);
    present(LOCKED_STAGE);
    const listeners = new Set<RendererListener>();
    await screen.switchTo({
      contract: policyErrorContract(host.workstation, text, log),
      subscribe: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
    });
    if (readers) {
      stopTapCue = await startTapCueReaders(readers, host, (channel, payload) => {
        for (const listener of listeners) listener(channel, payload);
      }).catch((error: unknown) => {
        log.warn(`readers: not started on the locked screen: ${messageOf(error)}`);
        return async () => {};
      });
    }
    // Without a trusted policy no plaintext key storage is allowed, so a refusing host leaves no record here.
    const key = protector ? { ok: true as const, protector } : host.keyProtector({ allowPlaintext: false });
    if (!key.ok) return log.warn(`audit: the start problem is not journaled: ${key.reason}`);
    await recordStartProblem(journalOptions(key.protector), problemRecord(problem, text)).catch((error: unknown) =>
      log.warn(`audit: could not record the start problem: ${messageOf(error)}`),
    );
  }

  async function start(policy: ResolvedPolicy, protector: KeyProtector): Promise<Running> {
    const workstation = await openWorkstation({
      policy,
      dataDir: host.dataDir,
      workstation: host.workstation,
      clock: host.clock,
      random: host.random,
      protector,
      openSignIn: host.openSignIn,
      ...(host.extraCaPems ? { extraCaPems: [...host.extraCaPems] } : {}),
      ...(host.hardware ? { hardware: host.hardware } : {}),
      ...(host.readerOverride ? { readerOverride: (entry) => host.readerOverride?.(entry) } : {}),
      ...(host.osIdleMs ? { osIdleMs: () => host.osIdleMs?.() ?? 0 } : {}),
      log,
    });
    let following: MachinePolicyUpdates | undefined;
    const preferences = preferenceService({
      store: host.preferenceStore ?? memoryPreferenceStore(),
      // The policy as it is now: a preference IT sets while the workstation runs is locked at once.
      machine: () => (following?.policy() ?? policy).preferences,
    });
    const breakGlass = breakGlassEnvironment(policy, workstation, host);
    const justInTime = justInTimeEnvironment(policy, workstation, host);
    const careshell = createCareShell({
      ...workstation.env,
      preferences,
      showSignIn: () => host.showSignIn(),
      ...(breakGlass ? { breakGlass } : {}),
      ...(justInTime ? { justInTime } : {}),
    });
    const disposers = followStage(careshell);
    if (policy.ehr && host.loadEhr) {
      const load = host.loadEhr.bind(host);
      disposers.push(
        followEhrSignIn({
          session: careshell.session,
          ehrUrl: policy.ehr.url,
          handover: ehrHandover(policy, workstation),
          returnPath: (sessionId) => careshell.breakGlass()?.returnPath(sessionId) ?? '/',
          load,
          sharedJar: host.ehrSharedJar ?? false,
          log,
        }),
      );
    }
    let started = false;
    try {
      if (host.captureWedgeKeys) disposers.push(host.captureWedgeKeys(workstation.wedgeReaders));
      started = true;
      await careshell.start();
      const updates = await followMachinePolicy({
        policyPath: host.policySource.location,
        load: () => readWorkstationPolicy(host.policySource),
        current: policy,
        session: careshell.session,
        identity: workstation.identity,
        audit: workstation.journal,
        clock: host.clock,
        workstation: host.workstation,
        log,
      });
      following = updates;
      const listPolicy = policy.identity?.revocationList;
      const revocationList = listPolicy
        ? await startRevocationList({
            policy: listPolicy,
            extraCaPems: [
              ...(host.extraCaPems ?? []),
              ...(await Promise.all((policy.identity?.extraCaFiles ?? []).map((f) => readFile(f, 'utf8')))),
            ],
            dataDir: host.dataDir,
            identity: workstation.identity,
            session: careshell.session,
            audit: workstation.journal,
            clock: host.clock,
            random: host.random,
            workstation: host.workstation,
            log,
            changed: () => void health.changed(),
          })
        : undefined;
      if (revocationList) disposers.push(() => revocationList.stop());
      return {
        careshell,
        workstation,
        updates,
        preferences,
        disposers,
        policy: () => updates.policy(),
        ...(revocationList ? { revocationList } : {}),
      };
    } catch (error) {
      for (const dispose of disposers.splice(0)) dispose();
      if (started) await careshell.stop().catch((e: unknown) => log.warn(`workstation: ${messageOf(e)}`));
      await workstation.close();
      throw error;
    }
  }

  /** The stage follows the session view, which EHR view is shown, the authenticator setup and review screens. */
  function followStage(careshell: CareShell): (() => void)[] {
    let shown: string | undefined;
    let setupOpen = false;
    let reviewOpen = false;
    const follow = () =>
      present(stageOf(careshell.session.view(), shown, setupOpen || reviewOpen, careshell.overlay()));
    return [
      careshell.session.onView(follow),
      careshell.session.onLifecycle((event) => {
        if (event.kind === 'shown') shown = event.sessionId;
        else if (event.sessionId === shown) shown = undefined;
        // Off the screen first, then its partition cleared: PHI leaves the screen at once.
        follow();
        if (event.kind === 'terminated') {
          host
            .terminateEhr(event.sessionId)
            .catch((error: unknown) => log.warn(`EHR view of an ended session: ${messageOf(error)}`));
        }
      }),
      careshell.subscribe((channel, payload) => {
        if (channel === 'breakglass:state' || channel === 'jit:state') return follow();
        if (channel === 'identity:authenticator-setup') setupOpen = payload !== null;
        else if (channel === 'review:screen') reviewOpen = payload === true;
        else return;
        follow();
      }),
    ];
  }

  async function boot(): Promise<void> {
    if (stopping) return;
    await releaseReaders();
    const policyPath = host.policySource.location;
    const read = await readWorkstationPolicy(host.policySource);
    if (read.kind === 'missing') return lockOn({ kind: 'not-configured', policyPath });
    if (read.kind === 'invalid') {
      const problems = describeProblems(policyPath, read.problems);
      return lockOn({ kind: 'invalid-policy', policyPath, problems }, undefined, read.readers);
    }
    const { policy } = read;
    const key = host.keyProtector({ allowPlaintext: policy.hardening.allowPlaintextKeyStorage });
    if (!key.ok) return lockOn({ kind: 'cannot-start', reason: key.reason });
    let running: Running;
    try {
      host.configure(hostSettingsOf(policy));
      running = await start(policy, key.protector);
    } catch (error) {
      return lockOn({ kind: 'cannot-start', reason: messageOf(error) }, key.protector);
    }
    phase = { kind: 'running', running };
    void health.changed();
    await screen.switchTo(running.careshell);
    present(stageOf(running.careshell.session.view(), undefined, false, running.careshell.overlay()));
    log.info(`workstation ${host.workstation} started (profile ${policy.session.profile})`);
  }

  /** Whatever goes wrong while booting ends on a locked screen that says so, never on an undecided one. */
  const bootOrLock = () => boot().catch((error: unknown) => lockOn({ kind: 'cannot-start', reason: messageOf(error) }));

  async function onPolicyChanged(): Promise<void> {
    if (phase.kind === 'problem') await bootOrLock();
    else if (phase.kind === 'running') {
      await phase.running.updates.apply();
      await phase.running.preferences.machinePolicyChanged();
    }
    await health.changed();
  }

  const stopWatching = (
    options.watchPolicy ?? ((onChange) => host.policySource.watch({ clock: host.clock, log, onChange }))
  )(() => void serially(onPolicyChanged));
  const ready = serially(bootOrLock);

  /** The shutdown order: nothing on screen, session engine and readers, forwarders, journal (final checkpoint). */
  function shutdown(reason: string, lockFirst: boolean): Promise<void> {
    stopping ??= (async () => {
      log.info(`workstation: stopping (${reason})`);
      stopWatching();
      await queue;
      present(LOCKED_STAGE);
      await releaseReaders();
      if (phase.kind === 'running') {
        const { careshell, workstation, disposers } = phase.running;
        if (lockFirst) await careshell.session.handle({ type: 'os', event: 'lock-screen' }).catch(() => undefined);
        for (const dispose of disposers.splice(0)) dispose();
        await careshell.stop().catch((error: unknown) => log.warn(`workstation: stop: ${messageOf(error)}`));
        await workstation.close().catch((error: unknown) => log.warn(`workstation: close: ${messageOf(error)}`));
      }
      phase = { kind: 'stopped' };
      await health.stop();
    })();
    return stopping;
  }
  const shutdownAndExit = (reason: string, lockFirst: boolean) =>
    void shutdown(reason, lockFirst).finally(() => host.exit());

  return {
    ready,
    problem: () => (phase.kind === 'problem' ? phase.problem : undefined),
    parts: () => (phase.kind === 'running' ? phase.running : undefined),
    async osEvent(event) {
      if (event === 'shutdown') return shutdownAndExit('the operating system is shutting down', true);
      if (phase.kind !== 'running' || stopping) return log.info(`os: ${event} (no session is running)`);
      // Another OS user coming to the front is a walk-away: the same as a screen lock.
      const input = event === 'resign-active' ? 'lock-screen' : event;
      await phase.running.careshell.session
        .handle({ type: 'os', event: input })
        .catch((error: unknown) => log.warn(`os: ${event}: ${messageOf(error)}`));
    },
    requestQuit() {
      if (stopping) return true;
      if (phase.kind === 'running' && phase.running.policy().kiosk.allowQuit) {
        shutdownAndExit('quit, allowed by kiosk.allowQuit', false);
        return true;
      }
      const why =
        phase.kind === 'running'
          ? 'the machine policy does not allow it (kiosk.allowQuit)'
          : phase.kind === 'booting'
            ? 'the workstation is still starting'
            : 'no valid machine policy allows it (kiosk.allowQuit)';
      log.warn(`quit refused: ${why}`);
      return false;
    },
    async breakGlassLink(url) {
      const breakGlass = phase.kind === 'running' ? phase.running.careshell.breakGlass() : undefined;
      if (!breakGlass) return log.warn('break-glass link ignored: no EHR with break-glass is running');
      const answer = await breakGlass
        .openLink(url)
        .catch((error: unknown) => ({ ok: false, message: messageOf(error) }));
      if (!answer.ok) log.warn(`break-glass link refused: ${answer.message ?? ''}`);
    },
    stop: () => shutdown('stopped by the host', false),
  };
}
