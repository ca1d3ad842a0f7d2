import type { Clock } from '../../common/clock.js';
import type { AuditSink } from '../audit/audit-event.js';
import type { AccessRevocations, RevokedAccess } from '../identity/access-revocations.js';
import type { Identity } from '../identity/create-identity.js';
import { watchMachinePolicy } from '../policy/machine-policy-watcher.js';
import type { SessionService } from '../session/session-service.js';
import type { PolicyResolution, ResolvedPolicy } from './careshell-policy.js';

export interface MachinePolicyUpdatesDeps {
  /** The policy the workstation was opened with. */
  current: ResolvedPolicy;
  /** Reads and resolves the machine policy file again. */
  load(): Promise<PolicyResolution>;
  session: Pick<SessionService, 'handle'>;
  revocations: AccessRevocations;
  /** Removes an enrollment (badge, PIN, tokens, authenticator app); false when the account was not enrolled. */
  unenroll(userId: string, reason: string): Promise<boolean>;
  audit: AuditSink;
  clock: Clock;
  workstation: string;
  log: { info(message: string): void; warn(message: string): void };
}

export interface MachinePolicyUpdates {
  /** Applies the revocations of the policy the workstation started with (an account revoked while it was off). */
  start(): Promise<void>;
  /** Re-reads the policy after IT changed it; calls are applied one after another. */
  apply(): Promise<void>;
}

/** Sections that are read when the workstation opens; a change to them applies at the next start. */
const RESTART_SECTIONS = ['readers', 'audit', 'ehr', 'identity'] as const;

/**
 * Machine policy changes while CareShell runs (DESIGN.md §9). Session rules apply at once (the engine
 * re-decides under them); an invalid file locks the workstation and names the wrong key; accounts newly
 * listed in identity.revoked are unenrolled and their sessions ended on the spot. What needs a restart
 * (readers, audit forwarding, identity provider, EHR) is said in the log and the audit trail.
 */
export function machinePolicyUpdates(deps: MachinePolicyUpdatesDeps): MachinePolicyUpdates {
  let running = deps.current;
  let valid = true;
  let queue: Promise<void> = Promise.resolve();

  async function revoke(list: readonly RevokedAccess[]): Promise<void> {
    for (const { userId, reason } of list) {
      const removed = await deps.unenroll(userId, `revoked by machine policy: ${reason}`);
      // Sessions end whether or not an enrollment was left: the person may have one open from before.
      await deps.session.handle({ type: 'admin-revoke', userId, reason: `machine policy: ${reason}` });
      if (removed) deps.log.info(`policy: unenrolled ${userId} (${reason})`);
    }
  }

  async function applyOnce(): Promise<void> {
    const resolution = await deps.load();
    if (!resolution.ok) {
      valid = false;
      deps.log.warn(
        `policy: the machine policy became invalid: ${resolution.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      );
      await deps.session.handle({ type: 'policy-invalid', problems: resolution.problems });
      return;
    }
    const next = resolution.policy;
    const sessionChanged = JSON.stringify(next.session) !== JSON.stringify(running.session);
    // A rewrite that changed nothing (touch, same content) is not a policy change, unless it fixes an invalid one.
    if (sessionChanged || !valid) await deps.session.handle({ type: 'policy-change', policy: next.session });
    valid = true;
    const { revoked: before = [], ...identityBefore } = running.identity ?? {};
    const { revoked: after = [], ...identityAfter } = next.identity ?? {};
    const pending = RESTART_SECTIONS.filter((key) =>
      key === 'identity'
        ? JSON.stringify(identityBefore) !== JSON.stringify(identityAfter)
        : JSON.stringify(running[key]) !== JSON.stringify(next[key]),
    );
    if (pending.length > 0) {
      const reason = `changes to ${pending.join(', ')} apply when CareShell next starts`;
      deps.log.warn(`policy: ${reason}`);
      await deps.audit.append({
        type: 'policy.change',
        at: deps.clock.wallTime().toISOString(),
        workstation: deps.workstation,
        outcome: 'success',
        reason,
        details: { restartRequired: pending.join(',') },
      });
    }
    const known = new Set(before.map((r) => r.userId));
    running = next;
    deps.revocations.replace(after);
    await revoke(after.filter((r) => !known.has(r.userId)));
  }

  return {
    async start() {
      const list = running.identity?.revoked ?? [];
      deps.revocations.replace(list);
      await revoke(list);
    },
    apply() {
      const run = queue.then(applyOnce, applyOnce);
      queue = run.catch((error: unknown) =>
        deps.log.warn(`policy: could not apply the changed machine policy: ${(error as Error).message}`),
      );
      return queue;
    },
  };
}

export interface FollowMachinePolicyOptions {
  policyPath: string;
  load(): Promise<PolicyResolution>;
  current: ResolvedPolicy;
  session: Pick<SessionService, 'handle'>;
  identity: Pick<Identity, 'directory' | 'enrollment' | 'revocations'>;
  audit: AuditSink;
  clock: Clock;
  workstation: string;
  log: MachinePolicyUpdatesDeps['log'];
}

/** Who unenrolls a revoked account: IT, through the machine policy. */
const MACHINE_POLICY_ACTOR = { userId: 'machine-policy', displayName: 'Machine policy (IT)' };

/**
 * The running workstation follows its machine policy file: revocations in it are applied now, and every later
 * change to the file is applied as machinePolicyUpdates says. Returns a stop function.
 */
export async function followMachinePolicy(options: FollowMachinePolicyOptions): Promise<() => void> {
  const { identity } = options;
  const updates = machinePolicyUpdates({
    ...options,
    revocations: identity.revocations,
    // Only an enrolled account is unenrolled: a listed account that never enrolled here leaves no record each start.
    unenroll: async (userId, reason) =>
      (await identity.directory.account(userId))
        ? identity.enrollment.unenroll(userId, MACHINE_POLICY_ACTOR, reason)
        : false,
  });
  await updates.start();
  return watchMachinePolicy({
    path: options.policyPath,
    clock: options.clock,
    log: options.log,
    onChange: () => void updates.apply(),
  });
}
