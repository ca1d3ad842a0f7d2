// Temporary: the composition main/shell/index.ts ran before runWorkstation (main/workstation/run-workstation.ts),
// kept only so this branch runs on its own, behind the same WorkstationHost port. It is replaced, and this file
// deleted, by switching the one export in main/shell/composition.ts to runWorkstation (docs/shell.md#composition).
import type { SessionView } from '../../preload/contract.js';
import { messageOf } from '../../common/errors.js';
import { careShellPolicySchema, resolveCareShellPolicy, type PolicyResolution } from '../app/careshell-policy.js';
import { createCareShell, type CareShell } from '../app/create-careshell.js';
import { followMachinePolicy } from '../app/machine-policy-updates.js';
import { openWorkstation, type Workstation } from '../app/open-workstation.js';
import { policyErrorContract } from '../app/policy-error-contract.js';
import { recordRejectedPolicy } from '../app/workstation-journal.js';
import { loadMachinePolicy } from '../policy/machine-policy-loader.js';
import { describeProblems } from '../policy/policy-problem.js';
import type {
  RendererListener,
  RendererSurface,
  RunWorkstation,
  Stage,
  StartProblem,
  WorkstationHost,
} from '../workstation/workstation-host.js';

/** One surface for the whole run; what answers behind it changes from the locked problem screen to the workstation. */
type SurfaceTarget = Pick<CareShell, 'contract'> & Partial<Pick<CareShell, 'subscribe'>>;
function switchableSurface(): RendererSurface & { switchTo(target: SurfaceTarget): void } {
  let target: SurfaceTarget | undefined;
  let unforward = () => {};
  const listeners = new Set<RendererListener>();
  const push: RendererListener = (channel, payload) => {
    for (const listener of listeners) listener(channel, payload);
  };
  return {
    invoke: async (channel, payload) =>
      target ? target.contract.invoke(channel, payload) : { ok: false, error: 'CareShell is starting.' },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    switchTo(next) {
      unforward();
      target = next;
      unforward = next.subscribe?.(push) ?? (() => {});
      void next.contract.invoke('session:get-view', undefined).then((outcome) => {
        if (outcome.ok) push('session:view', outcome.result as SessionView);
      });
    },
  };
}

function stageOf(view: SessionView, shown: string | undefined, authenticatorOpen: boolean): Stage {
  const onScreen = view.screen === 'active' || view.screen === 'idle-warning';
  if (!onScreen) return { locked: true, overlay: 'none' };
  const modal = view.screen === 'idle-warning' || !!view.stepUp || authenticatorOpen;
  return {
    locked: false,
    ...(shown ? { ehrSessionId: shown } : {}),
    overlay: modal ? 'modal' : view.notice ? 'banner' : 'none',
  };
}

export const runLegacyWorkstation: RunWorkstation = (host: WorkstationHost) => {
  const { log } = host;
  const surface = switchableSurface();
  let problem: StartProblem | undefined;
  let careshell: CareShell | undefined;
  let workstation: Workstation | undefined;
  const disposers: (() => void)[] = [];
  host.serve(surface);
  host.present({ locked: true, overlay: 'none' });

  const lockOn = (found: StartProblem, text: string) => {
    problem = found;
    log.warn(text);
    surface.switchTo({ contract: policyErrorContract(host.workstation, text, log) });
    host.present({ locked: true, overlay: 'none' });
  };
  const readPolicy = async (): Promise<PolicyResolution> => {
    const loaded = await loadMachinePolicy({
      schema: careShellPolicySchema,
      path: host.policyPath,
      ...(host.trustedPolicyOwnerUids ? { trustedOwnerUids: host.trustedPolicyOwnerUids } : {}),
    });
    return loaded.ok ? resolveCareShellPolicy(loaded.policy) : loaded;
  };

  const start = async () => {
    const resolved = await readPolicy();
    const key = host.keyProtector({ allowPlaintext: false });
    if (!resolved.ok) {
      const problems = describeProblems(host.policyPath, resolved.problems);
      if (key.ok) {
        await recordRejectedPolicy({ ...host, protector: key.protector, problems: resolved.problems }).catch(
          (error: unknown) => log.warn(`audit: could not record the invalid policy: ${messageOf(error)}`),
        );
      }
      return lockOn({ kind: 'invalid-policy', policyPath: host.policyPath, problems }, problems);
    }
    if (!key.ok) return lockOn({ kind: 'cannot-start', reason: key.reason }, key.reason);
    const policy = resolved.policy;
    workstation = await openWorkstation({
      policy,
      dataDir: host.dataDir,
      workstation: host.workstation,
      clock: host.clock,
      random: host.random,
      protector: key.protector,
      openSignIn: host.openSignIn,
      ...(host.hardware ? { hardware: host.hardware } : {}),
      ...(host.osIdleMs ? { osIdleMs: () => host.osIdleMs?.() ?? 0 } : {}),
      log,
    });
    const running = createCareShell(workstation.env);
    careshell = running;
    host.configure({
      ...(policy.ehr ? { ehrUrl: policy.ehr.url } : {}),
      ehrOrigins: policy.ehr ? [policy.ehr.url, ...policy.ehr.allowedOrigins] : [],
      signInOrigins: policy.identity ? [policy.identity.authority] : [],
    });
    let shown: string | undefined;
    let authenticatorOpen = false;
    const present = () => host.present(stageOf(running.session.view(), shown, authenticatorOpen));
    disposers.push(
      running.session.onView(present),
      running.subscribe((channel, payload) => {
        if (channel !== 'identity:authenticator-setup') return;
        authenticatorOpen = payload !== null;
        present();
      }),
      running.session.onLifecycle((event) => {
        if (event.kind === 'shown') shown = event.sessionId;
        else if (shown === event.sessionId) shown = undefined;
        if (event.kind === 'terminated') void host.terminateEhr(event.sessionId);
        present();
      }),
    );
    if (host.captureWedgeKeys) disposers.push(host.captureWedgeKeys(workstation.wedgeReaders));
    surface.switchTo(running);
    await running.start();
    disposers.push(
      await followMachinePolicy({
        policyPath: host.policyPath,
        load: readPolicy,
        current: policy,
        session: running.session,
        identity: workstation.identity,
        audit: workstation.journal,
        clock: host.clock,
        workstation: host.workstation,
        log,
      }),
    );
  };

  const stop = async () => {
    for (const dispose of disposers.splice(0)) dispose();
    await careshell?.stop().catch((error: unknown) => log.warn(`session engine did not stop: ${messageOf(error)}`));
    await workstation?.close().catch((error: unknown) => log.warn(`journal did not close: ${messageOf(error)}`));
  };
  const ready = start().catch((error: unknown) => {
    const reason = `CareShell cannot start with the machine policy ${host.policyPath}: ${messageOf(error)}`;
    lockOn({ kind: 'cannot-start', reason }, reason);
  });

  return {
    ready,
    problem: () => problem,
    async osEvent(event) {
      if (event === 'shutdown') return stop().finally(() => host.exit());
      const input = event === 'resign-active' ? 'lock-screen' : event;
      await careshell?.session.handle({ type: 'os', event: input }).catch((error: unknown) => {
        log.warn(`os event ${event} not handled: ${messageOf(error)}`);
      });
    },
    requestQuit() {
      log.info('kiosk: quitting is not allowed by this build; IT ends CareShell with the OS session');
      return false;
    },
    stop,
  };
};
