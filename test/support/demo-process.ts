import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The bundled harness `npm run demo` runs (built by `npm run build`, which test:e2e runs first). */
export const DEMO_CLI = path.join(ROOT, 'out/demo/cli.mjs');

export interface DemoProcess {
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Resolves with the first match of `pattern` in its output; rejects with the output if it exits first. */
  printed(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves with its exit code. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Runs the bundled harness with `args` in a process of its own, as `npm run demo -- <args>` does. */
export function runDemoProcess(args: readonly string[]): DemoProcess {
  const child: ChildProcess = spawn(process.execPath, [DEMO_CLI, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += String(chunk);
    for (const wake of waiters) wake();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    output: () => output,
    exited,
    printed(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (!match) return;
          waiters.delete(check);
          resolve(match);
        };
        waiters.add(check);
        check();
        void exited.then((code) => {
          if (waiters.delete(check))
            reject(new Error(`the demo exited (${code}) before printing ${pattern}:\n${output}`));
        });
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The app and control addresses a demo workstation printed, and its control routes. */
export interface DemoStation {
  process: DemoProcess;
  appUrl: string;
  origin: string;
  token: string;
  /** POSTs to a control route with the run's token; throws with the harness's reason on failure. */
  control(route: string, body: Record<string, unknown>): Promise<void>;
}

export async function startDemoStation(args: readonly string[]): Promise<DemoStation> {
  const demo = runDemoProcess(['--no-open', ...args]);
  const [appUrl] = await demo.printed(/http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/);
  const url = new URL(appUrl);
  const token = url.searchParams.get('token')!;
  return {
    process: demo,
    appUrl,
    origin: url.origin,
    token,
    async control(route, body) {
      const response = await fetch(`${url.origin}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, token }),
      });
      const result = (await response.json()) as { ok: boolean; message: string };
      if (!result.ok) throw new Error(`${route} failed: ${result.message}`);
    },
  };
}
