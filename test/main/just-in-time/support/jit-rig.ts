import { ManualClock } from '../../../../common/manual-clock.js';
import type { JustInTimeState } from '../../../../preload/contract.js';
import { MemoryAuditSink } from '../../../../main/audit/memory-audit-sink.js';
import {
  JitRefused,
  type JitGrantRequest,
  type JitGrantStatus,
  type JustInTimeAdapter,
} from '../../../../main/just-in-time/just-in-time-adapter.js';
import { justInTimePolicySchema } from '../../../../main/just-in-time/just-in-time-policy.js';
import { createJustInTime, type JustInTime } from '../../../../main/just-in-time/just-in-time-service.js';
import type { LifecycleEvent, StepUpOutcome } from '../../../../main/session/engine-state.js';
import type { SessionInput } from '../../../../main/session/session-input.js';
import type { StepUpMethod } from '../../../../main/session/ports.js';

export const EHR = 'http://127.0.0.1:4100';

export interface ServerGrant {
  id: string;
  holder: string;
  request: JitGrantRequest;
  expiresAtMs: number;
  endedAtMs?: number;
}

/**
 * An access-grant server in memory on the test's clock. Tokens are user ids. It accepts whatever it is sent
 * (unless `strict`), so tests see exactly what the workstation asked for; `requests` records every call.
 */
export class FakeJitServer implements JustInTimeAdapter {
  readonly origin = EHR;
  readonly grants: ServerGrant[] = [];
  readonly requests: { holder: string; request: JitGrantRequest }[] = [];
  /** Set to refuse the next requests as the EHR would (self-approval, wrong role...). */
  refuse: string | undefined;

  constructor(private readonly clock: ManualClock) {}

  private statusOf(g: ServerGrant): JitGrantStatus {
    const now = this.clock.monotonicMs();
    const status = g.endedAtMs !== undefined ? 'ended' : now >= g.expiresAtMs ? 'expired' : 'active';
    const secondsLeft = status === 'active' ? (g.expiresAtMs - now) / 1000 : 0;
    return {
      id: g.id,
      status,
      expiresAt: new Date(this.clock.wallTime().getTime() + secondsLeft * 1000).toISOString(),
      secondsLeft,
      open: `${EHR}/open/${g.request.scope.kind}`,
    };
  }

  async request(token: string, request: JitGrantRequest): Promise<JitGrantStatus> {
    this.requests.push({ holder: token, request });
    if (this.refuse) throw new JitRefused(403, this.refuse);
    const grant: ServerGrant = {
      id: `jit-${this.grants.length + 1}`,
      holder: token,
      request,
      expiresAtMs: this.clock.monotonicMs() + request.durationMinutes * 60_000,
    };
    this.grants.push(grant);
    return this.statusOf(grant);
  }

  async status(token: string, id: string): Promise<JitGrantStatus> {
    const grant = this.grants.find((g) => g.id === id && g.holder === token);
    if (!grant) throw new JitRefused(404, 'no such grant');
    return this.statusOf(grant);
  }

  async end(token: string, id: string): Promise<JitGrantStatus> {
    const grant = this.grants.find((g) => g.id === id && g.holder === token);
    if (!grant) throw new JitRefused(404, 'no such grant');
    grant.endedAtMs ??= this.clock.monotonicMs();
    return this.statusOf(grant);
  }

  active(holder?: string): ServerGrant[] {
    return this.grants.filter(
      (g) => this.statusOf(g).status === 'active' && (holder === undefined || g.holder === holder),
    );
  }
}

/** Roles of the rig's people: u-cara is a billing clerk, u-ben a physician (an approver), u-chris a charge nurse. */
export function rolesOf(userId: string): string[] {
  if (userId === 'u-cara') return ['billing-clerk'];
  if (userId === 'u-ben') return ['physician', 'clinical'];
  if (userId === 'u-chris') return ['charge-nurse', 'nurse', 'clinical'];
  return ['nurse', 'clinical'];
}

export const RIG_POLICY = {
  scopes: [
    { kind: 'unit', values: [{ value: 'unit-ed', label: 'Emergency Department' }], maxMinutes: 120, autoApprove: true },
    { kind: 'patient', maxMinutes: 60, stepUp: true },
    { kind: 'role', values: [{ value: 'charge-nurse', label: 'Charge nurse' }], approverRoles: ['charge-nurse'] },
  ],
};

/** The service with a fake session engine, the fake server, a memory audit sink and a ManualClock. */
export function jitRig(policy: Record<string, unknown> = RIG_POLICY) {
  const clock = new ManualClock();
  const server = new FakeJitServer(clock);
  const audit = new MemoryAuditSink();
  const lifecycle = new Set<(event: LifecycleEvent) => void>();
  const stepUps = new Set<(outcome: StepUpOutcome) => void>();
  const inputs: SessionInput[] = [];
  const navigations: { sessionId: string; url: string }[] = [];
  const states: JustInTimeState[] = [];
  /** Approvers whose PIN the service checked successfully, in order. */
  const pinsAccepted: string[] = [];
  /** Users without a token to be had (a sign-in that cannot be renewed). */
  const noToken = new Set<string>();
  let uuid = 0;
  const justInTime: JustInTime = createJustInTime({
    clock,
    random: {
      uuid: () => `00000000-0000-4000-8000-${String((uuid += 1)).padStart(12, '0')}`,
      bytes: (n) => new Uint8Array(n),
    },
    audit,
    workstation: 'WS-1',
    policy: justInTimePolicySchema.parse(policy),
    adapter: server,
    ehrUrl: `${EHR}/`,
    session: {
      onLifecycle: (listener) => (lifecycle.add(listener), () => lifecycle.delete(listener)),
      onStepUp: (listener) => (stepUps.add(listener), () => stepUps.delete(listener)),
      handle: async (input) => void inputs.push(input),
    },
    accessToken: async (userId) => (noToken.has(userId) ? undefined : userId),
    profile: async (userId) => ({ displayName: `Name of ${userId}`, roles: rolesOf(userId) }),
    // A badge hash here is "badge:<userId>"; every PIN is 4826.
    resolveBadge: async (hash) => {
      const userId = hash.startsWith('badge:') ? hash.slice('badge:'.length) : undefined;
      return userId ? { userId, displayName: `Name of ${userId}`, roles: rolesOf(userId) } : undefined;
    },
    verifyPin: async (userId, pin) => {
      const ok = pin === '4826';
      if (ok) pinsAccepted.push(userId);
      return { ok };
    },
    navigate: (sessionId, url) => navigations.push({ sessionId, url }),
    publish: (state) => states.push(state),
    log: { warn: () => {} },
  });
  const settle = async () => {
    for (let i = 0; i < 30; i += 1) await Promise.resolve();
  };
  return {
    clock,
    server,
    audit,
    inputs,
    navigations,
    states,
    pinsAccepted,
    noToken,
    justInTime,
    settle,
    last: () => states.at(-1),
    async lifecycle(
      kind: LifecycleEvent['kind'],
      sessionId: string,
      userId: string,
      why: Pick<LifecycleEvent, 'signedOut' | 'revoked'> = {},
    ) {
      for (const listener of lifecycle) listener({ kind, sessionId, userId, ...why });
      await settle();
    },
    async stepUp(sessionId: string, userId: string, ok: boolean, method: StepUpMethod = 'idp') {
      for (const listener of stepUps)
        listener({ action: 'just-in-time', sessionId, userId, ok, ...(ok ? { method } : {}) });
      await settle();
    },
    async advance(ms: number) {
      clock.advance(ms);
      await settle();
    },
    async tap(userId: string) {
      await justInTime.approverBadge(`badge:${userId}`);
      await settle();
    },
  };
}

export const ROLE_FORM = {
  scope: 'role' as const,
  value: 'charge-nurse',
  purposeCode: 'covering-unit',
  purposeText: 'Charge nurse off sick',
  durationMinutes: 30,
};
export const UNIT_FORM = { ...ROLE_FORM, scope: 'unit' as const, value: 'unit-ed' };
export const PATIENT_FORM = { ...ROLE_FORM, scope: 'patient' as const, value: 'Patient/p-1005' };
