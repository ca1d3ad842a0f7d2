/**
 * npm run bench:session: how fast the session engine decides, and what an idle session costs.
 * 1. Decision latency over 100,000 mixed events: through the whole service (validation, hashing, directory,
 *    PIN, audit append, view publication) and through the pure reducer alone, p50/p99 in microseconds.
 * 2. Idle CPU: a real 60 s idle period on the system clock with an active session, in the whole main-process
 *    composition (journal, readers, identity, session), as percent of one core.
 * Prints one JSON line last and writes bench/results/session.json.
 */
import { ManualClock } from '../common/manual-clock.js';
import { systemRandom } from '../common/random.js';
import { MemoryAuditSink } from '../main/audit/memory-audit-sink.js';
import { createBadgeHasher } from '../main/identity/badge-hasher.js';
import { resolveSessionPolicy } from '../main/policy/resolve-policy.js';
import type { SessionPolicy } from '../main/policy/session-settings.js';
import type { EngineEvent } from '../main/session/engine-state.js';
import { initialState } from '../main/session/engine-state.js';
import type { DirectoryUser, PinService, UserDirectory } from '../main/session/ports.js';
import { decide } from '../main/session/engine/decide.js';
import type { SessionInput } from '../main/session/session-input.js';
import { createSessionService } from '../main/session/session-service.js';
import type { Clock } from '../common/clock.js';
import { percentile, reportBench, round } from './support/bench-report.js';
import { openBenchWorkstation } from './support/bench-workstation.js';

const EVENTS = 100_000;
const IDLE_SECONDS = Number(process.env.SESSION_BENCH_IDLE_S ?? 60);

const resolved = resolveSessionPolicy({ fallbackProfile: 'er-kiosk' });
if (!resolved.ok) throw new Error('built-in er-kiosk profile must resolve');
const policy: SessionPolicy = resolved.policy;
const hashBadge = createBadgeHasher(new Uint8Array(32).fill(1));
const users: DirectoryUser[] = Array.from({ length: 6 }, (_, i) => ({
  userId: `u${i}`,
  displayName: `User ${i}`,
  roles: ['nurse'],
}));
const badges = users.map((_, i) => `H10301:12:${1000 + i}`);
const owners = new Map(users.map((u, i) => [hashBadge(badges[i]!), u]));
const directory: UserDirectory = { resolveBadge: async (h) => owners.get(h) };
const pins: PinService = { verify: async () => ({ ok: true }) };
const authenticator = {
  fullSignIn: async (r: { expectedUserId?: string }) => ({
    ok: true as const,
    user: users.find((u) => u.userId === r.expectedUserId) ?? users[0]!,
  }),
};

function makeService(clock: Clock) {
  return createSessionService({
    clock,
    random: systemRandom,
    audit: new MemoryAuditSink(),
    directory,
    pins,
    authenticator,
    hashBadge,
    workstation: 'bench-ws',
    policy,
  });
}

/** Deterministic mix weighted like a busy ER kiosk: mostly activity, many taps, some locks, OS events and PINs. */
function mixedInput(i: number, rnd: () => number): SessionInput | { advanceMs: number } {
  const r = rnd();
  if (r < 0.45) return { type: 'activity', source: 'renderer' };
  if (r < 0.7)
    return {
      type: 'badge-tap',
      badgeId: rnd() < 0.05 ? 'H10301:99:1' : badges[Math.floor(rnd() * badges.length)]!,
      readerId: 'r1',
    };
  if (r < 0.78) return { advanceMs: Math.floor(rnd() * 200_000) };
  if (r < 0.84) return { type: 'lock-now' };
  if (r < 0.88) return { type: 'pin', pin: '123456' };
  if (r < 0.91) return { type: 'os', event: (['suspend', 'resume', 'display-off'] as const)[i % 3]! };
  if (r < 0.94) return { type: 'badge-removed', badgeId: badges[Math.floor(rnd() * badges.length)]!, readerId: 'r1' };
  if (r < 0.97) return { type: 'pin-cancel' };
  return { type: 'step-up-request', action: 'export' };
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function percentiles(samplesNs: Float64Array): { p50: number; p99: number } {
  return { p50: round(percentile(samplesNs, 50) / 1000), p99: round(percentile(samplesNs, 99) / 1000) };
}

async function serviceLatency(): Promise<{ p50: number; p99: number }> {
  const clock = new ManualClock();
  const service = makeService(clock);
  const rnd = lcg(42);
  const samples = new Float64Array(EVENTS);
  let n = 0;
  while (n < EVENTS) {
    const input = mixedInput(n, rnd);
    if ('advanceMs' in input) {
      clock.advance(input.advanceMs); // deadlines fire here; their ticks are decisions too, but not timed
      continue;
    }
    const t0 = process.hrtime.bigint();
    await service.handle(input);
    samples[n++] = Number(process.hrtime.bigint() - t0);
  }
  service.dispose();
  return percentiles(samples);
}

function reducerLatency(): { p50: number; p99: number } {
  const rnd = lcg(7);
  let state = initialState(policy);
  let now = 0;
  const samples = new Float64Array(EVENTS);
  for (let i = 0; i < EVENTS; i++) {
    const r = rnd();
    const user = users[Math.floor(rnd() * users.length)]!;
    const event: EngineEvent =
      r < 0.45
        ? { type: 'activity', source: 'renderer' }
        : r < 0.7
          ? { type: 'tap', badgeHash: 'h', readerId: 'r1', user, newSessionId: `s${i}` }
          : r < 0.8
            ? { type: 'tick' }
            : r < 0.88
              ? { type: 'lock-now' }
              : r < 0.94
                ? { type: 'os', event: 'suspend' }
                : {
                    type: 'pin-result',
                    token: state.pending?.token ?? 0,
                    userId: user.userId,
                    targetSessionId: state.pending?.kind === 'pin' ? state.pending.target.sessionId : '',
                    result: { ok: true },
                  };
    now += Math.floor(rnd() * 20_000);
    const t0 = process.hrtime.bigint();
    state = decide(state, event, now).state;
    samples[i] = Number(process.hrtime.bigint() - t0);
  }
  return percentiles(samples);
}

/** The whole main-process composition (bench/support/bench-workstation.ts) with a signed-in session left alone. */
async function idleCpu(): Promise<number> {
  const bench = await openBenchWorkstation({ name: 'session', profile: 'er-kiosk' });
  const { careshell } = bench;
  const badge = badges[0]!;
  await bench.enroll(users[0]!, badge);
  bench.reader.tap(badge);
  await bench.waitForView((view) => view.screen === 'active', 1_000);
  // The er-kiosk idle timeout is 120 s, so the session stays active (warning included) through the idle run.
  const before = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  const wallMs = performance.now() - t0;
  const used = process.cpuUsage(before);
  const screen = careshell.session.view().screen;
  await bench.close();
  if (screen !== 'active' && screen !== 'idle-warning')
    throw new Error(`session left the screen during the idle run (${screen})`);
  return Math.round(((used.user + used.system) / 1000 / wallMs) * 100 * 1000) / 1000;
}

const service = await serviceLatency();
const reducer = reducerLatency();
const idle = await idleCpu();
const result = {
  events: EVENTS,
  decision_p50_us: service.p50,
  decision_p99_us: service.p99,
  reducer_p50_us: reducer.p50,
  reducer_p99_us: reducer.p99,
  idle_seconds: IDLE_SECONDS,
  idle_cpu_pct: idle,
  idle_target_pct: 0.5,
  node: process.version,
};
console.log(
  `service handle(): p50 ${service.p50} µs, p99 ${service.p99} µs; reducer alone: p50 ${reducer.p50} µs, p99 ${reducer.p99} µs; idle ${IDLE_SECONDS} s: ${idle} % of one core`,
);
reportBench('session', result);
