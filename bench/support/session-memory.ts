/*
 * Run by bench/start.ts in a process of its own (node --expose-gc --import tsx), so that nothing but the
 * main-process composition is in it: starts the composition, signs in 1 and then 10 clinicians with badge and
 * PIN (each newcomer suspends the previous session, so all stay kept), and prints one JSON line with the
 * process's memory after a full garbage collection at each step.
 */
const SESSIONS = 10;
const PINS = ['4826', '7391', '5170', '9264', '3857', '6194', '2748', '8531', '1679', '5942'];
const MB = 1024 * 1024;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc: memory is measured after a full collection');

function memory() {
  gc!();
  const usage = process.memoryUsage();
  return { rss: usage.rss / MB, heapUsed: usage.heapUsed / MB };
}

// Node and the TypeScript loader alone, before the composition is loaded.
const baseline = memory();
const loading = performance.now();
const { openBenchWorkstation } = await import('./bench-workstation.js');
const compositionLoadMs = performance.now() - loading;
const started = performance.now();
const bench = await openBenchWorkstation({
  name: 'memory',
  // Badge and PIN for every new session, and room to keep all of them.
  session: {
    signIn: 'badge+pin',
    switching: { previousSession: 'suspend', maxSuspended: SESSIONS, whenFull: 'refuse' },
  },
});
const compositionStartMs = performance.now() - started;
const composed = memory();
const clinicians = Array.from({ length: SESSIONS }, (_, i) => ({
  user: { userId: `u-bench-${i}`, displayName: `Clinician ${i}`, roles: ['nurse', 'clinical'] },
  badgeId: `H10301:100:${3001 + i}`,
  pin: PINS[i]!,
}));
for (const c of clinicians) await bench.enroll(c.user, c.badgeId, c.pin);
const idle = memory();

let one = idle;
for (const [index, c] of clinicians.entries()) {
  bench.reader.tap(c.badgeId);
  await bench.waitForView((view) => view.pinPrompt !== undefined);
  await bench.careshell.session.handle({ type: 'pin', pin: c.pin });
  const view = await bench.waitForView((v) => v.screen === 'active' && v.user?.displayName === c.user.displayName);
  if (view.suspendedCount !== index)
    throw new Error(`expected ${index} kept sessions behind, saw ${view.suspendedCount}`);
  if (index === 0) one = memory();
}
const ten = memory();
await bench.close();
console.log(
  JSON.stringify({
    composition_load_ms: compositionLoadMs,
    composition_start_ms: compositionStartMs,
    rss_mb_node_baseline: baseline.rss,
    rss_mb_composed: composed.rss,
    rss_mb_0_sessions: idle.rss,
    rss_mb_1_session: one.rss,
    rss_mb_10_sessions: ten.rss,
    heap_used_mb_1_session: one.heapUsed,
    heap_used_mb_10_sessions: ten.heapUsed,
  }),
);
