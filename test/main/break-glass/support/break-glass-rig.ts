import { ManualClock } from '../../../../common/manual-clock.js';
import type { BreakGlassState } from '../../../../preload/contract.js';
import { MemoryAuditSink } from '../../../../main/audit/memory-audit-sink.js';
import {
  BreakGlassRefused,
  type BreakGlassAdapter,
  type GrantRequest,
  type GrantStatus,
} from '../../../../main/break-glass/break-glass-adapter.js';
import { breakGlassPolicySchema } from '../../../../main/break-glass/break-glass-policy.js';
import { createBreakGlass, type BreakGlass } from '../../../../main/break-glass/break-glass-service.js';
import type { LifecycleEvent, StepUpOutcome } from '../../../../main/session/engine-state.js';
import type { SessionInput } from '../../../../main/session/session-input.js';
import type { StepUpMethod } from '../../../../main/session/ports.js';

export const EHR = 'http://127.0.0.1:4100';
export const LINK =
  'careshell:break-glass?ehr=http%3A%2F%2F127.0.0.1%3A4100&patient=Patient%2Fp-1005&restrictions=other-unit&chart=http%3A%2F%2F127.0.0.1%3A4100%2Fpatients%2Fp-1005';

interface ServerGrant {
  id: string;
  holder: string;
  scope: GrantRequest['scope'];
  issuedAtMs: number;
  /** When the holder's episode began: an extension asked for while a grant still ran continues its episode. */
  episodeStartMs: number;
  expiresAtMs: number;
  endedAtMs?: number;
}

/**
 * An EHR grant server in memory on the test's clock: the grant holder is the token (tokens are user ids here),
 * expiry is decided at each question as the demo EHR does. `serves` is the chart-open decision.
 */
export class FakeGrantServer implements BreakGlassAdapter {
  readonly origin = EHR;
  readonly grants: ServerGrant[] = [];
  /** Set to make the next call fail as an unreachable server would. */
  down = false;
  /** Set to hold activations until it resolves (a slow EHR). */
  gate: Promise<void> | undefined;

  constructor(private readonly clock: ManualClock) {}

  private statusOf(g: ServerGrant): GrantStatus {
    const now = this.clock.monotonicMs();
    const status = g.endedAtMs !== undefined ? 'ended' : now >= g.expiresAtMs ? 'expired' : 'active';
    const secondsLeft = status === 'active' ? (g.expiresAtMs - now) / 1000 : 0;
    return {
      id: g.id,
      status,
      expiresAt: new Date(this.clock.wallTime().getTime() + secondsLeft * 1000).toISOString(),
      secondsLeft,
    };
  }

  private find(token: string, id: string): ServerGrant {
    if (this.down) throw new Error('connection refused');
    const grant = this.grants.find((g) => g.id === id && g.holder === token);
    if (!grant) throw new BreakGlassRefused(404, 'no such grant');
    return grant;
  }

  async activate(token: string, request: GrantRequest): Promise<GrantStatus> {
    if (this.down) throw new Error('connection refused');
    await this.gate;
    const now = this.clock.monotonicMs();
    const running = this.active().find((g) => g.holder === token);
    const grant = {
      id: `bg-${this.grants.length + 1}`,
      holder: token,
      scope: request.scope,
      issuedAtMs: now,
      episodeStartMs: running?.episodeStartMs ?? now,
      expiresAtMs: now + request.durationMinutes * 60_000,
    };
    this.grants.push(grant);
    return this.statusOf(grant);
  }

  async status(token: string, id: string): Promise<GrantStatus> {
    return this.statusOf(this.find(token, id));
  }

  async end(token: string, id: string): Promise<GrantStatus> {
    const grant = this.find(token, id);
    grant.endedAtMs ??= this.clock.monotonicMs();
    return this.statusOf(grant);
  }

  active(): ServerGrant[] {
    return this.grants.filter((g) => this.statusOf(g).status === 'active');
  }

  serves(user: string, patient: string): boolean {
    return this.active().some(
      (g) => g.holder === user && (g.scope.kind === 'all-restricted' || g.scope.patient === patient),
    );
  }
}

/** The service with a fake session engine, the fake server, a memory audit sink and a ManualClock. */
export function breakGlassRig(policy: Record<string, unknown> = { scopes: ['patient', 'all-restricted'] }) {
  const clock = new ManualClock();
  const server = new FakeGrantServer(clock);
  const audit = new MemoryAuditSink();
  const lifecycle = new Set<(event: LifecycleEvent) => void>();
  const stepUps = new Set<(outcome: StepUpOutcome) => void>();
  const inputs: SessionInput[] = [];
  const navigations: { sessionId: string; url: string }[] = [];
  const states: BreakGlassState[] = [];
  /** Everyone is a clinician but the billing clerk u-cara. */
  const rolesOf = (userId: string) => (userId === 'u-cara' ? ['billing-clerk'] : ['nurse', 'clinical']);
  const episodes: Record<string, number> = {};
  const breakGlass: BreakGlass = createBreakGlass({
    clock,
    audit,
    workstation: 'WS-1',
    policy: breakGlassPolicySchema.parse(policy),
    adapter: server,
    ehrUrl: `${EHR}/`,
    session: {
      onLifecycle: (listener) => (lifecycle.add(listener), () => lifecycle.delete(listener)),
      onStepUp: (listener) => (stepUps.add(listener), () => stepUps.delete(listener)),
      handle: async (input) => void inputs.push(input),
    },
    accessToken: async (userId) => userId,
    profile: async (userId) => ({ displayName: userId, roles: rolesOf(userId) }),
    // A badge hash here is "badge:<userId>"; every PIN is 4826.
    resolveBadge: async (hash) => {
      const userId = hash.startsWith('badge:') ? hash.slice('badge:'.length) : undefined;
      return userId ? { userId, displayName: `Dr ${userId}`, roles: rolesOf(userId) } : undefined;
    },
    verifyPin: async (_userId, pin) => ({ ok: pin === '4826' }),
    episodesSince: async (userId) => episodes[userId] ?? 0,
    navigate: (sessionId, url) => navigations.push({ sessionId, url }),
    publish: (state) => states.push(state),
    log: { warn: () => {} },
  });
  /** Lets the service's promise chains (token, adapter, audit) run to their end. */
  const settle = async () => {
    for (let i = 0; i < 20; i += 1) await Promise.resolve();
  };
  return {
    clock,
    server,
    audit,
    inputs,
    navigations,
    states,
    episodes,
    breakGlass,
    settle,
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
        listener({ action: 'break-glass', sessionId, userId, ok, ...(ok ? { method } : {}) });
      await settle();
    },
    async advance(ms: number) {
      clock.advance(ms);
      await settle();
    },
    /** Opens the dialog from the link, confirms, and passes the step-up. */
    async grant(
      sessionId: string,
      userId: string,
      durationMinutes = 60,
      scope: 'patient' | 'all-restricted' = 'patient',
    ) {
      const opened = await breakGlass.openLink(LINK);
      if (!opened.ok) return opened;
      const confirmed = await breakGlass.confirm({
        scope,
        ...(scope === 'patient' ? { patient: 'Patient/p-1005' } : {}),
        reasonCode: 'emergency-care',
        reasonText: 'Collapsed, no history',
        attested: true,
        durationMinutes,
      });
      if (!confirmed.ok) return confirmed;
      await this.stepUp(sessionId, userId, true);
      return { ok: true };
    },
  };
}
