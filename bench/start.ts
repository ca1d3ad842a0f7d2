/**
 * npm run bench:start: how long a workstation takes to be usable, and what the main-process composition weighs.
 *  - cold start: a workstation starting on the hospital's running services, as a ward's workstation boots: the
 *    bench process runs the demo hospital (identity provider, EHR, mailbox, review source) once; each run spawns
 *    the bundled harness `npm run demo` runs (`node out/demo/cli.mjs --no-open --hospital FILE --data-dir DIR`)
 *    on the same data folder, so its clinicians are enrolled as on a workstation that restarts, and waits until
 *    its lock screen is in the DOM of a fresh headless Chromium context and a requestAnimationFrame has run. Split
 *    into spawn -> the harness printed its URL (Node, module loading, the composition) and URL -> lock screen
 *    (page, bundle, contract WebSocket, first view). The first run, which enrolls the demo clinicians through
 *    the identity provider, is not counted: first_run_ms.
 *  - the whole demo (`node out/demo/cli.mjs --no-open`, hospital included, new data folder each time), as
 *    `npm run demo` starts: demo_cold_start_p95_ms.
 *  - memory: bench/support/session-memory.ts in a process of its own, with 1 and then 10 kept sessions.
 * Prints one JSON line last and writes bench/results/start.json (docs/performance.md explains the figures).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { systemClock } from '../common/clock.js';
import { startHospitalServices } from '../main/harness/hospital-services.js';
import { launchChromium } from '../test/support/chromium.js';
import { lockScreen } from '../test/support/e2e-page.js';
import { percentile, reportBench, round } from './support/bench-report.js';
import { descendants, procMissingReason, pssMb } from './support/process-memory.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const DEMO_RUNS = Math.max(3, Math.round(RUNS / 2));
const DEMO = 'out/demo/cli.mjs';
const ROOT = path.resolve(import.meta.dirname, '..');
const APP_URL = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/;

/**
 * Runs an entry point of this repository in a new Node process (a TypeScript one through tsx), and resolves with the first stdout
 * match of `pattern` (and the process, for the caller to stop); rejects with its output if it exits first.
 */
function runUntil(
  script: string,
  args: string[],
  pattern: RegExp,
  options: { nodeFlags?: string[]; env?: NodeJS.ProcessEnv } = {},
) {
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), ...loader, script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const matched = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      const match = pattern.exec(output);
      if (match) resolve(match[0]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += String(chunk)));
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`${script} exited (${code}) before printing ${pattern}:\n${output}`)),
    );
  });
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return { matched, stop };
}

/** One start of the bundled harness with `args`, timed from spawn to its lock screen in a new browser context. */
async function coldStart(browser: Browser, args: string[], env: NodeJS.ProcessEnv = {}) {
  const started = performance.now();
  const demo = runUntil(DEMO, ['--no-open', ...args], APP_URL, { env });
  try {
    const url = await demo.matched;
    const listening = performance.now();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      await page.goto(url);
      await lockScreen(page, 'no-user');
      await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));
    } finally {
      await context.close();
    }
    const interactive = performance.now();
    return { total: interactive - started, listening: listening - started, page: interactive - listening };
  } finally {
    await demo.stop();
  }
}

const VIEWS = 5;

/**
 * What a renderer process weighs in Chromium's process model (a WebContentsView is one): pages opened one at a
 * time, each in a context of its own (as each EHR view has its own partition, so none shares a renderer); the
 * page's renderer is the largest renderer process that appeared with it (Chromium may start a small spare one
 * too), measured by PSS; the median over VIEWS pages. The page is a small stand-in, so this is the floor: an
 * EHR's own page adds its heap and DOM.
 */
async function rendererPssMb(browser: Browser): Promise<number | undefined> {
  const missing = procMissingReason();
  if (missing) return void console.log(`renderer memory not measured: ${missing}`);
  const renderers = () =>
    descendants(process.pid)
      .filter((p) => p.cmdline.includes('--type=renderer'))
      .map((p) => p.pid);
  const contexts: BrowserContext[] = [];
  const sizes: number[] = [];
  try {
    for (let i = 0; i < VIEWS; i++) {
      const before = new Set(renderers());
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      await page.setContent(`<!doctype html><title>EHR ${i}</title><h1>Patient chart</h1><p>stand-in page</p>`);
      await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));
      const added = renderers().filter((pid) => !before.has(pid));
      if (added.length > 0) sizes.push(Math.max(...added.map(pssMb)));
    }
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
  return sizes.length > 0 ? percentile(sizes, 50) : undefined;
}

async function sessionMemory(): Promise<Record<string, number>> {
  const JSON_LINE = /^\{.*\}$/m;
  const child = runUntil('bench/support/session-memory.ts', [], JSON_LINE, { nodeFlags: ['--expose-gc'] });
  try {
    const line = await child.matched;
    return JSON.parse(line) as Record<string, number>;
  } finally {
    await child.stop();
  }
}

const memory = await sessionMemory();
const dataRoot = await mkdtemp(path.join(tmpdir(), 'careshell-bench-start-'));
const hospital = await startHospitalServices({ clock: systemClock, dataDir: path.join(dataRoot, 'hospital') });
const hospitalFile = path.join(dataRoot, 'hospital.json');
await writeFile(hospitalFile, JSON.stringify(hospital.description));
const browser = await launchChromium();
const workstationArgs = ['--hospital', hospitalFile, '--data-dir', path.join(dataRoot, 'workstation')];
const runs: { total: number; listening: number; page: number }[] = [];
const demoRuns: number[] = [];
let firstRunMs = 0;
let rendererMb: number | undefined;
try {
  firstRunMs = (await coldStart(browser, workstationArgs)).total;
  for (let run = 0; run < RUNS; run++) runs.push(await coldStart(browser, workstationArgs));
  // The whole demo keeps its data in a new temporary folder each time: under dataRoot, removed at the end.
  for (let run = 0; run < DEMO_RUNS; run++) demoRuns.push((await coldStart(browser, [], { TMPDIR: dataRoot })).total);
  rendererMb = await rendererPssMb(browser);
} finally {
  await browser.close();
  await hospital.stop();
  await rm(dataRoot, { recursive: true, force: true });
}

const totals = runs.map((r) => r.total);
const mb = (value: number | undefined) => round(value ?? Number.NaN, 1);
const ms = (value: number | undefined) => round(value ?? Number.NaN);
reportBench('start', {
  cold_start_p95_ms: ms(percentile(totals, 95)),
  rss_mb_1_session: mb(memory.rss_mb_1_session),
  rss_mb_10_sessions: mb(memory.rss_mb_10_sessions),
  cold_start_p50_ms: ms(percentile(totals, 50)),
  cold_start_target_ms: 1000,
  spawn_to_listening_p95_ms: ms(
    percentile(
      runs.map((r) => r.listening),
      95,
    ),
  ),
  url_to_lock_screen_p95_ms: ms(
    percentile(
      runs.map((r) => r.page),
      95,
    ),
  ),
  first_run_ms: ms(firstRunMs),
  runs: runs.length,
  demo_cold_start_p95_ms: ms(percentile(demoRuns, 95)),
  demo_runs: demoRuns.length,
  composition_load_ms: ms(memory.composition_load_ms),
  composition_start_ms: ms(memory.composition_start_ms),
  rss_mb_node_baseline: mb(memory.rss_mb_node_baseline),
  rss_mb_composed: mb(memory.rss_mb_composed),
  rss_mb_0_sessions: mb(memory.rss_mb_0_sessions),
  heap_used_mb_1_session: mb(memory.heap_used_mb_1_session),
  heap_used_mb_10_sessions: mb(memory.heap_used_mb_10_sessions),
  chromium_renderer_pss_mb_median: mb(rendererMb),
  // The figures scale with how busy the machine was: say so next to them.
  load_average_1m: round(loadavg()[0]!),
  cpus: availableParallelism(),
  node: process.version,
});
