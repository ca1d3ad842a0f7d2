import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ManualClock } from '../../common/manual-clock.js';
import type { AuditEvent } from '../../main/audit/audit-event.js';
import { readEvents } from '../../main/audit/journal/journal-reader.js';
import { startDemo, type Demo, type DemoOptions } from '../../main/harness/demo.js';

export interface TestDemo extends Demo {
  clock: ManualClock;
  /** POSTs to a harness control route as JSON with the run's token; throws with the harness's reason on failure. */
  control(route: string, body: Record<string, unknown>): Promise<void>;
  /** The policy's timings in milliseconds, so tests advance exactly to each deadline. */
  timing: { idleMs: number; warningMs: number; graceMs: number; lifetimeMs: number };
  user(role: string): Demo['users'][number];
  /** Taps a card after the reader's debounce window, so the same card tapped again counts as a new tap. */
  tapAfterDebounce(badgeId: string): Promise<void>;
  /** Every event in the demo's audit journal, oldest first. */
  audited(): Promise<AuditEvent[]>;
}

/**
 * The demo harness on a manual clock, on a free port, with no browser opened: what e2e tests and benches drive.
 * Each one has its own data folder (journal, enrollments, keys), deleted by stop(), so no two share state.
 */
export async function startTestDemo(options: Omit<DemoOptions, 'clock' | 'dataDir'> = {}): Promise<TestDemo> {
  const clock = new ManualClock();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'careshell-test-demo-'));
  // Without a clinician to play at the provider, a sign-in fails at once rather than waiting for a redirect.
  const openSignIn =
    options.openSignIn ??
    (async () => Promise.reject(new Error('this test plays no clinician at the identity provider')));
  let demo: Demo;
  try {
    demo = await startDemo({ ...options, openSignIn, clock, dataDir, quiet: true });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const settings = demo.policy;
  const testDemo: TestDemo = {
    ...demo,
    clock,
    async stop() {
      await demo.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
    timing: {
      idleMs: (settings.idleTimeoutSeconds - settings.warningSeconds) * 1000,
      warningMs: settings.warningSeconds * 1000,
      graceMs: settings.graceMinutes * 60_000,
      lifetimeMs: settings.absoluteLifetimeHours * 3_600_000,
    },
    async control(route, body) {
      const response = await fetch(`${demo.server.origin}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, token: demo.server.token }),
      });
      const result = (await response.json()) as { ok: boolean; message: string };
      if (!result.ok) throw new Error(`${route} failed: ${result.message}`);
    },
    user(role) {
      const user = demo.users.find((u) => u.roles.includes(role));
      if (!user) throw new Error(`No demo user with role ${role}`);
      return user;
    },
    async tapAfterDebounce(badgeId) {
      await testDemo.control('/control/advance', { ms: 2_000 });
      await testDemo.control('/control/tap', { badgeId });
    },
    audited: async () =>
      (await readEvents(path.join(demo.dataDir, 'audit'), undefined, { maxEvents: 10_000 })).events.map((e) => e.event),
  };
  return testDemo;
}
