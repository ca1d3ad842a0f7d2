import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { z } from 'zod';
import { messageOf } from '../../common/errors.js';
import { wireFromRendererSchema, type EventChannel, type EventPayload } from '../../preload/contract.js';
import type { ContractServer } from '../contract/contract-server.js';
import { OS_EVENTS, type OsEvent as OsEventName } from '../session/session-input.js';
import { readStatic } from './static-files.js';
import { renderControlPage } from './control-page.js';
import { loopbackGuard, type Refusal } from './loopback-guard.js';

/** What the demo's control panel (and the tests) may do from outside the lock UI. */
export interface HarnessControls {
  badges: readonly { label: string; badgeId: string }[];
  tap(badgeId: string): void;
  remove(): void;
  osEvent(event: OsEventName): Promise<void>;
  /** The mail the demo's privacy office received (break-glass alerts), newest last. */
  mails?: () => readonly { subject: string; to: readonly string[]; messageId: string; text: string }[];
  /** Present only when the harness runs on a manual clock (tests, benchmarks). */
  advanceClock?: (ms: number) => void;
  /**
   * The demo's revocation list (tools/revocation-server): who can be revoked or restored from the page; each
   * publishes the next signed list, which every workstation applies at its next poll.
   */
  revocation?: {
    users: readonly { userId: string; label: string }[];
    revoke(userId: string): Promise<string>;
    restore(userId: string): Promise<string>;
  };
}

const controlSchemas = {
  '/control/tap': z.object({ badgeId: z.string().min(1).max(64) }),
  '/control/remove': z.object({}),
  '/control/os': z.object({ event: z.enum(OS_EVENTS) }),
  '/control/revoke': z.object({ userId: z.string().min(1).max(200) }),
  '/control/restore': z.object({ userId: z.string().min(1).max(200) }),
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
  /** The EHR the app page may frame (CSP frame-src); none when the policy has no EHR. */
  ehrOrigin?: string;
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

/** The largest frame a page may send: contract requests are small JSON; anything bigger closes with 1009. */
const MAX_FRAME_BYTES = 64 * 1024;
/**
 * Bytes a client may leave unread before it is dropped. Events and replies are a few KB, and the kernel's socket
 * buffers hold several MB more, so only a client that has stopped reading gets here; without a limit its backlog
 * would grow in this process for as long as events are pushed.
 */
export const MAX_UNREAD_BYTES = 1024 * 1024;

const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * Where the demo EHR's restricted page sends its break-glass link in the harness (DemoEhrOptions.breakGlassLinkVia):
 * a page of this origin, so the app page can read the link from its frame. It has no script and says what happens.
 */
export const EHR_LINK_PATH = '/ehr-link';
const EHR_LINK_CSP = "default-src 'none'; frame-ancestors 'self'; base-uri 'none'";
const EHR_LINK_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Emergency access</title></head>' +
  '<body><p>Opening the emergency access dialog of CareShell…</p></body></html>';

/**
 * Serves the built renderer to any Chromium on 127.0.0.1 and carries the contract over a WebSocket.
 * Only pages that present this run's random token, from this server's own origin, reach the contract:
 * the same trust rule as the Electron shell's sender-frame check.
 */
export async function startHarnessServer(options: HarnessServerOptions): Promise<HarnessServer> {
  const token = randomBytes(18).toString('base64url');
  const rendererDir = path.resolve(options.rendererDir);
  let origin = '';
  // Refuses everything until the port is known (replaced once listening).
  let guard = loopbackGuard(0);
  const sockets = new Set<WebSocket>();

  const tokenOk = (candidate: string | null | undefined) => {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  const server = createServer((req, res) => {
    handleHttp(req, res).catch((error: unknown) => {
      options.log.warn(`harness: ${req.method} ${req.url} failed: ${messageOf(error)}`);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Internal error; see the harness log.');
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refusal = guard.check(req.headers);
    if (refusal) return refuse(res, refusal, `${req.method} ${req.url?.split('?')[0]}`);
    const url = new URL(req.url ?? '/', origin);
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
      const html = await readFile(path.join(rendererDir, 'index.html'), 'utf8');
      // The bridge must define window.careshell before the renderer's module script runs: a deferred classic script
      // runs before the module scripts after it, as they are deferred too, and neither blocks parsing or the other's
      // download (the lock screen shows sooner).
      let page = html.replace('<head>', '<head>\n    <script defer src="/harness/bridge.js"></script>');
      // Here only (never in Electron) the app page frames the EHR on its own origin, and the harness's link page
      // (EHR_LINK_PATH); the page's own meta policy must say so too, as both policies apply.
      const frames = options.ehrOrigin ? `frame-src 'self' ${options.ehrOrigin}` : '';
      if (frames) page = page.replace("default-src 'none';", `default-src 'none'; ${frames};`);
      return send(res, 200, 'text/html; charset=utf-8', page, frames ? `${PAGE_CSP}; ${frames}` : PAGE_CSP);
    }
    if (req.method === 'GET' && url.pathname === EHR_LINK_PATH) {
      return send(res, 200, 'text/html; charset=utf-8', EHR_LINK_PAGE, EHR_LINK_CSP);
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

  function refuse(res: ServerResponse, refusal: Refusal, what: string): void {
    options.log.warn(`harness: refused ${what}: ${refusal.reason}`);
    send(res, refusal.status, 'text/plain; charset=utf-8', refusal.reason);
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const isJson = (req.headers['content-type'] ?? '').includes('application/json');
    let tokenShown = false;
    const reply = (status: number, message: string): void => {
      if (isJson) send(res, status, 'application/json', JSON.stringify({ ok: status === 200, message }));
      // Only a caller that presented the token is sent back to the page that carries it.
      else if (tokenShown)
        res.writeHead(303, { location: `/control?token=${token}&done=${encodeURIComponent(message)}` }).end();
      else send(res, status, 'text/plain; charset=utf-8', message);
    };
    let raw: string;
    try {
      raw = await readBody(req);
    } catch (error) {
      return reply(413, messageOf(error));
    }
    let fields: Record<string, unknown>;
    try {
      const parsed: unknown = isJson ? JSON.parse(raw || '{}') : Object.fromEntries(new URLSearchParams(raw));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        return reply(400, 'The body must be a JSON object.');
      fields = parsed as Record<string, unknown>;
    } catch (error) {
      return reply(400, `The body is not valid JSON (${messageOf(error)}).`);
    }
    const candidate = typeof fields.token === 'string' ? fields.token : url.searchParams.get('token');
    if (!tokenOk(candidate)) return reply(403, 'Missing or wrong token.');
    tokenShown = true;
    const route = url.pathname as keyof typeof controlSchemas;
    const parsed = controlSchemas[route].safeParse(fields);
    if (!parsed.success)
      return reply(400, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    try {
      const data = parsed.data as { badgeId: string; event: OsEventName; ms: number; userId: string };
      if (route === '/control/revoke' || route === '/control/restore') {
        const revocation = options.controls.revocation;
        if (!revocation) return reply(409, 'This harness publishes no revocation list.');
        if (!revocation.users.some((u) => u.userId === data.userId)) return reply(400, 'Not a demo user.');
        return reply(
          200,
          await (route === '/control/revoke' ? revocation.revoke(data.userId) : revocation.restore(data.userId)),
        );
      }
      if (route === '/control/tap') options.controls.tap(data.badgeId);
      else if (route === '/control/remove') options.controls.remove();
      else if (route === '/control/os') await options.controls.osEvent(data.event);
      else if (!options.controls.advanceClock)
        return reply(409, 'This harness runs on the real clock; start it with --manual-clock to advance time.');
      else options.controls.advanceClock(data.ms);
      return reply(200, `${route.slice('/control/'.length)} done`);
    } catch (error) {
      return reply(400, messageOf(error));
    }
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  server.on('upgrade', (req, socket, head) => {
    // Node hands the socket over without its error listener: a peer reset here must not end the process.
    socket.on('error', (error) => options.log.warn(`harness: WebSocket handshake socket failed: ${messageOf(error)}`));
    const url = new URL(req.url ?? '/', origin);
    const refusal =
      guard.check(req.headers, { requireOrigin: true }) ??
      (url.pathname === '/careshell' && tokenOk(url.searchParams.get('token'))
        ? undefined
        : { status: 403 as const, reason: 'Missing or wrong token, or not the contract path.' });
    if (refusal) {
      options.log.warn(`harness: refused a WebSocket: ${refusal.reason}`);
      const status = refusal.status === 421 ? '421 Misdirected Request' : '403 Forbidden';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      // ws closes the connection itself (1009 for an oversized frame, 1007 for invalid UTF-8) and then reports
      // the error here; without a listener that report would be thrown and end the process.
      ws.on('error', (error) => options.log.warn(`harness: closed a WebSocket: ${messageOf(error)}`));
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data, isBinary) => onMessage(ws, data, isBinary));
    });
  });

  function onMessage(ws: WebSocket, data: RawData, isBinary: boolean): void {
    if (isBinary) {
      options.log.warn('harness: closed a WebSocket that sent a binary frame (the contract is JSON text)');
      ws.close(1003, 'The contract is carried in JSON text frames.');
      return;
    }
    onFrame(ws, String(data)).catch((error: unknown) =>
      options.log.warn(`harness: a contract request failed: ${messageOf(error)}`),
    );
  }

  /** Sends unless the client has stopped reading; such a client is dropped rather than buffered for. */
  function sendTo(ws: WebSocket, frame: string): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_UNREAD_BYTES) {
      options.log.warn(
        `harness: dropped a WebSocket client that stopped reading (${ws.bufferedAmount} bytes unread; the limit is ${MAX_UNREAD_BYTES})`,
      );
      ws.terminate();
      return;
    }
    ws.send(frame);
  }

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
      if (Number.isInteger(id)) sendTo(ws, JSON.stringify({ id, outcome: { ok: false, error } }));
      return;
    }
    const outcome = await options.contract.invoke(frame.data.channel, frame.data.payload);
    sendTo(ws, JSON.stringify({ id: frame.data.id, outcome }));
  }

  const unsubscribe = options.subscribe((channel, payload) => {
    const frame = JSON.stringify({ event: channel, payload });
    for (const ws of sockets) sendTo(ws, frame);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The harness server has no TCP address.');
  origin = `http://127.0.0.1:${address.port}`;
  guard = loopbackGuard(address.port);

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

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, csp = PAGE_CSP): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': csp,
    // same-origin: our own form posts then carry our Origin (no-referrer makes a browser send "null"), and the
    // token in a page's URL still never reaches another origin as a Referer.
    'referrer-policy': 'same-origin',
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
