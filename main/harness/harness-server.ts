import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { wireFromRendererSchema, type EventChannel, type EventPayload } from '../../preload/contract.js';
import type { ContractServer } from '../app/contract-handlers.js';
import { readStatic } from './static-files.js';
import { renderControlPage } from './control-page.js';

/** What the demo's control panel (and the tests) may do from outside the lock UI. */
export interface HarnessControls {
  badges: readonly { label: string; badgeId: string }[];
  tap(badgeId: string): void;
  remove(): void;
  osEvent(event: OsEventName): Promise<void>;
  /** Present only when the harness runs on a manual clock (tests, benchmarks). */
  advanceClock?: (ms: number) => void;
}

export const OS_EVENTS = ['suspend', 'resume', 'lock-screen', 'display-off', 'lid-close'] as const;
export type OsEventName = (typeof OS_EVENTS)[number];

const controlSchemas = {
  '/control/tap': z.object({ badgeId: z.string().min(1).max(64) }),
  '/control/remove': z.object({}),
  '/control/os': z.object({ event: z.enum(OS_EVENTS) }),
  '/control/advance': z.object({
    ms: z.coerce
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 3_600_000),
  }),
} as const;

export interface HarnessServerOptions {
  contract: Pick<ContractServer, 'invoke'>;
  /** The app's event source: every push goes to every connected page. */
  subscribe(listener: <C extends EventChannel>(channel: C, payload: EventPayload<C>) => void): () => void;
  controls: HarnessControls;
  rendererDir: string;
  bridgeFile: string;
  port?: number;
  log: { info(message: string): void; warn(message: string): void };
}

export interface HarnessServer {
  /** The app page, with this run's token. */
  appUrl: string;
  controlUrl: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * Serves the built renderer to any Chromium on 127.0.0.1 and carries the contract over a WebSocket.
 * Only pages that present this run's random token, from this server's own origin, reach the contract:
 * the same trust rule as the Electron shell's sender-frame check.
 */
export async function startHarnessServer(options: HarnessServerOptions): Promise<HarnessServer> {
  const token = randomBytes(18).toString('base64url');
  const rendererDir = path.resolve(options.rendererDir);
  let origin = '';
  const sockets = new Set<WebSocket>();

  const tokenOk = (candidate: string | null | undefined) => {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  const server = createServer((req, res) => {
    handleHttp(req, res).catch((error: unknown) => {
      options.log.warn(`harness: ${req.method} ${req.url} failed: ${(error as Error).message}`);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Internal error; see the harness log.');
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
      const html = await readFile(path.join(rendererDir, 'index.html'), 'utf8');
      // The bridge must define window.careshell before the renderer's module script runs.
      const withBridge = html.replace('<head>', '<head>\n    <script src="/harness/bridge.js"></script>');
      return send(res, 200, 'text/html; charset=utf-8', withBridge);
    }
    if (req.method === 'GET' && url.pathname === '/harness/bridge.js') {
      return send(res, 200, 'text/javascript; charset=utf-8', await readFile(options.bridgeFile));
    }
    if (req.method === 'GET' && url.pathname === '/control') {
      if (!tokenOk(url.searchParams.get('token')))
        return send(
          res,
          403,
          'text/plain; charset=utf-8',
          'Open the control URL the harness printed (it carries the token).',
        );
      return send(
        res,
        200,
        'text/html; charset=utf-8',
        renderControlPage(options.controls, token, url.searchParams.get('done')),
      );
    }
    if (req.method === 'POST' && url.pathname in controlSchemas) return handleControl(req, res, url);
    if (req.method === 'GET') {
      const file = await readStatic(rendererDir, url.pathname);
      if (file) return send(res, 200, file.type, file.body);
    }
    send(res, 404, 'text/plain; charset=utf-8', 'Not found.');
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const raw = await readBody(req);
    const isJson = (req.headers['content-type'] ?? '').includes('application/json');
    const reply = (status: number, message: string): void => {
      if (isJson) send(res, status, 'application/json', JSON.stringify({ ok: status === 200, message }));
      else res.writeHead(303, { location: `/control?token=${token}&done=${encodeURIComponent(message)}` }).end();
    };
    let fields: Record<string, unknown>;
    try {
      const parsed: unknown = isJson ? JSON.parse(raw || '{}') : Object.fromEntries(new URLSearchParams(raw));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        return reply(400, 'The body must be a JSON object.');
      fields = parsed as Record<string, unknown>;
    } catch (error) {
      return reply(400, `The body is not valid JSON (${(error as Error).message}).`);
    }
    if (!tokenOk((fields.token as string | undefined) ?? url.searchParams.get('token')))
      return reply(403, 'Missing or wrong token.');
    const route = url.pathname as keyof typeof controlSchemas;
    const parsed = controlSchemas[route].safeParse(fields);
    if (!parsed.success)
      return reply(400, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    try {
      const data = parsed.data as { badgeId: string; event: OsEventName; ms: number };
      if (route === '/control/tap') options.controls.tap(data.badgeId);
      else if (route === '/control/remove') options.controls.remove();
      else if (route === '/control/os') await options.controls.osEvent(data.event);
      else if (!options.controls.advanceClock)
        return reply(409, 'This harness runs on the real clock; start it with --manual-clock to advance time.');
      else options.controls.advanceClock(data.ms);
      return reply(200, `${route.slice('/control/'.length)} done`);
    } catch (error) {
      return reply(400, (error as Error).message);
    }
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== '/careshell' || req.headers.origin !== origin || !tokenOk(url.searchParams.get('token'))) {
      options.log.warn(
        `harness: refused a WebSocket from origin ${req.headers.origin ?? 'none'} (wrong origin or token)`,
      );
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => void onFrame(ws, data.toString()));
    });
  });

  async function onFrame(ws: WebSocket, text: string): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      options.log.warn('harness: dropped a frame that is not JSON');
      return;
    }
    const frame = wireFromRendererSchema.safeParse(json);
    if (!frame.success) {
      const error = `Rejected a malformed frame: ${frame.error.issues.map((i) => `${i.path.join('.') || 'frame'}: ${i.message}`).join('; ')}.`;
      options.log.warn(`harness: ${error}`);
      // Answer when the caller can be identified, so its promise rejects instead of hanging.
      const id = (json as { id?: unknown } | null)?.id;
      if (Number.isInteger(id)) ws.send(JSON.stringify({ id, outcome: { ok: false, error } }));
      return;
    }
    const outcome = await options.contract.invoke(frame.data.channel, frame.data.payload);
    ws.send(JSON.stringify({ id: frame.data.id, outcome }));
  }

  const unsubscribe = options.subscribe((channel, payload) => {
    const frame = JSON.stringify({ event: channel, payload });
    for (const ws of sockets) ws.send(frame);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The harness server has no TCP address.');
  origin = `http://127.0.0.1:${address.port}`;

  return {
    appUrl: `${origin}/?token=${token}`,
    controlUrl: `${origin}/control?token=${token}`,
    origin,
    token,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': PAGE_CSP,
    'referrer-policy': 'no-referrer',
  });
  res.end(body);
}

async function readBody(req: IncomingMessage, limit = 16 * 1024): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('Request body too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
