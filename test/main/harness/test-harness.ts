import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { ContractServer, type InvokeHandlers } from '../../../main/contract/contract-server.js';
import { startHarnessServer, type HarnessServer } from '../../../main/harness/harness-server.js';
import type { EventChannel, EventPayload, SessionView } from '../../../preload/contract.js';

/*
 * The harness server on a temporary renderer folder with a stand-in contract, for the unit and integration
 * tests in this folder. Every start and connection is undone by `cleanUp()` (call it in afterEach).
 */

export const view: SessionView = { screen: 'no-user', workstation: 'WS-1', profile: 'default', suspendedCount: 0 };
const cleanups: (() => Promise<unknown>)[] = [];

export async function cleanUp(): Promise<void> {
  for (const step of cleanups.splice(0).reverse()) await step();
}

export async function startTestHarness() {
  const dir = await mkdtemp(path.join(tmpdir(), 'careshell-harness-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await writeFile(
    path.join(dir, 'index.html'),
    '<!doctype html><html><head><title>CareShell</title></head><body></body></html>',
  );
  await writeFile(path.join(dir, 'bridge.js'), 'window.careshell = {};');
  const warnings: string[] = [];
  const taps: string[] = [];
  const pins: unknown[] = [];
  const revocations: string[] = [];
  const handlers = new Proxy({} as InvokeHandlers, {
    get: (_t, name: string) =>
      name === 'session:get-view' ? async () => view : async (request: unknown) => (pins.push(request), { ok: true }),
  });
  let push: (<C extends EventChannel>(channel: C, payload: EventPayload<C>) => void) | undefined;
  const server: HarnessServer = await startHarnessServer({
    contract: new ContractServer(handlers, () => view.screen, { warn: (m) => warnings.push(m) }),
    subscribe: (listener) => ((push = listener), () => (push = undefined)),
    controls: {
      badges: [{ label: 'Nurse', badgeId: 'H10301:100:1001' }],
      tap: (id) => void taps.push(id),
      remove: () => {},
      osEvent: async () => {},
      revocation: {
        users: [{ userId: 'u-nurse', label: 'Nurse' }],
        revoke: async (userId) => (revocations.push(`revoke ${userId}`), 'revocation list 2 published'),
        restore: async (userId) => (revocations.push(`restore ${userId}`), 'revocation list 3 published'),
      },
    },
    rendererDir: dir,
    bridgeFile: path.join(dir, 'bridge.js'),
    log: { info: () => {}, warn: (m) => warnings.push(m) },
  });
  cleanups.push(() => server.close());
  const port = Number(new URL(server.origin).port);
  return { server, port, warnings, taps, pins, revocations, push: () => push };
}

/** A contract client as the bridge opens it, on 127.0.0.1 unless `host` names another allowed host. */
export function connect(
  server: HarnessServer,
  { origin = server.origin, token = server.token, host = `127.0.0.1:${new URL(server.origin).port}` } = {},
) {
  const ws = new WebSocket(`ws://127.0.0.1:${new URL(server.origin).port}/careshell?token=${token}`, {
    origin,
    headers: { host },
  });
  const frames: unknown[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(String(data))));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  cleanups.push(async () => ws.terminate());
  const next = async (count: number) => {
    for (let i = 0; i < 200 && frames.length < count; i++) await new Promise((r) => setTimeout(r, 5));
    return frames.slice(0, count);
  };
  return { ws, opened, closed, frames, next };
}
