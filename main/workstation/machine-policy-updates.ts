import type { Clock } from '../../common/clock.js';
import { messageOf } from '../../common/errors.js';
import type { ResolvedPolicy } from '../app/careshell-policy.js';
import type { AuditSink } from '../audit/audit-event.js';
import type { AccessRevocations, RevokedAccess } from '../identity/access-revocations.js';
import type { Identity } from '../identity/create-identity.js';
import type { PolicyProblem } from '../policy/policy-problem.js';
import type { SessionService } from '../session/session-service.js';
import type { PolicyRead } from './workstation-policy.js';

export interface MachinePolicyUpdatesDeps {
  /** The policy the workstation was opened with. */
  current: ResolvedPolicy;
  /** The machine policy file, named when it disappears. */
  policyPath: string;
  /** Reads and resolves the machine policy file again. */
  load(): Promise<PolicyRead>;
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
  /** The last valid policy: kept when the file becomes invalid or disappears. */
  policy(): ResolvedPolicy;
}

/** Sections that are read when the workstation opens; a change to them applies at the next start. */
const RESTART_SECTIONS = ['readers', 'audit', 'ehr', 'identity', 'hardening', 'temporaryAccess'] as const;

/** A deleted policy file is a problem like an invalid one: never a silent fall back to the built-in defaults. */
const removed = (policyPath: string): PolicyProblem[] => [
  {
    path: '(file)',
    message: `${policyPath} was removed or cannot be found; the last valid policy is kept and the workstation stays locked until IT puts the file back (docs/policy.md)`,
  },
];

/**
 * Machine policy changes while CareShell runs (docs/policy.md). Session rules apply at once (the engine
 * re-decides under them); an invalid or deleted file locks the workstation, keeps the last valid policy and
 * names what is wrong (the engine audits it as policy.invalid); accounts newly
 * listed in identity.revoked are unenrolled and their sessions ended on the spot. What needs a restart
 * (readers, audit forwarding, identity provider, EHR, temporary staff rules) is said in the log and the audit trail.
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
    const read = await deps.load();
    if (read.kind !== 'ok') {
      valid = false;
      const problems = read.kind === 'missing' ? removed(deps.policyPath) : read.problems;
      deps.log.warn(
        `policy: the machine policy became unusable: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      );
      await deps.session.handle({ type: 'policy-invalid', problems });
      return;
    }
    const next = read.policy;
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
        deps.log.warn(`policy: could not apply the changed machine policy: ${messageOf(error)}`),
      );
      return queue;
    },
    policy: () => running,
  };
}

export interface FollowMachinePolicyOptions {
  policyPath: string;
  load(): Promise<PolicyRead>;
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
 * The running workstation follows its machine policy: revocations in it are applied now; the caller (which
 * watches the file) calls apply() after each change.
 */
export async function followMachinePolicy(options: FollowMachinePolicyOptions): Promise<MachinePolicyUpdates> {
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
  return updates;
}
