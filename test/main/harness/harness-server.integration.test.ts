import { connect as netConnect } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_UNREAD_BYTES } from '../../../main/harness/harness-server.js';
import { cleanUp, connect, startTestHarness, view } from './test-harness.js';

afterEach(cleanUp);

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Everything the server sent, headers and body, as text. */
  text: string;
}

/**
 * Sends one hand-written HTTP/1.1 request over a plain TCP socket (so Host, Origin and the body are exactly
 * what a hostile page or tool would send) and reads the status line, headers and Content-Length body.
 */
function rawRequest(port: number, request: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(port, '127.0.0.1', () => socket.write(request));
    let text = '';
    const finish = () => {
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) return false;
      const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      const body = text.slice(split + 4);
      if (Buffer.byteLength(body) < Number(headers['content-length'] ?? 0)) return false;
      socket.destroy();
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body, text });
      return true;
    };
    socket.on('data', (chunk) => {
      text += String(chunk);
      finish();
    });
    socket.on('end', () => finish() || reject(new Error(`incomplete response: ${JSON.stringify(text)}`)));
    socket.on('error', reject);
  });
}

const requestText = (method: string, target: string, headers: Record<string, string>, body = '') =>
  `${method} ${target} HTTP/1.1\r\n${Object.entries({
    connection: 'close',
    ...headers,
    'content-length': String(Buffer.byteLength(body)),
  })
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n${body}`;

const upgradeHeaders = (host: string, origin?: string) => ({
  host,
  ...(origin ? { origin } : {}),
  upgrade: 'websocket',
  connection: 'Upgrade',
  'sec-websocket-version': '13',
  'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
});

describe('harness server: only this machine, only its own pages (DNS rebinding, other origins)', () => {
  it('answers as 127.0.0.1, localhost and [::1] on its port, and refuses any other Host without the token', async () => {
    const { port, server } = await startTestHarness();
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      expect((await rawRequest(port, requestText('GET', '/', { host }))).status, host).toBe(200);
    }
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, `127.0.0.1.nip.io:${port}`]) {
      const page = await rawRequest(port, requestText('GET', `/control?token=${server.token}`, { host }));
      expect(page.status, host).toBe(421);
      expect(page.text).not.toContain(server.token);
      expect(page.body).toMatch(/answers only as 127\.0\.0\.1:\d+, localhost:\d+, \[::1\]:\d+/);
    }
  });

  it('runs no control for a rebound Host, even with the right token', async () => {
    const { port, server, taps, warnings } = await startTestHarness();
    const body = JSON.stringify({ token: server.token, badgeId: 'H10301:100:1001' });
    const response = await rawRequest(
      port,
      requestText(
        'POST',
        '/control/tap',
        { host: `evil.example:${port}`, origin: `http://evil.example:${port}`, 'content-type': 'application/json' },
        body,
      ),
    );
    expect(response.status).toBe(421);
    expect(taps).toEqual([]);
    expect(warnings.some((w) => /refused POST \/control\/tap: .*host "evil\.example/.test(w))).toBe(true);
  });

  it('refuses a WebSocket handshake whose Host is not this harness, whatever its Origin and token', async () => {
    const { port, server } = await startTestHarness();
    const target = `/careshell?token=${server.token}`;
    const rebound = await rawRequest(
      port,
      requestText('GET', target, upgradeHeaders(`evil.example:${port}`, `http://evil.example:${port}`)),
    );
    expect(rebound.status).toBe(421);
    const noOrigin = await rawRequest(port, requestText('GET', target, upgradeHeaders(`127.0.0.1:${port}`)));
    expect(noOrigin.status).toBe(403);
    const accepted = await rawRequest(
      port,
      requestText('GET', target, upgradeHeaders(`127.0.0.1:${port}`, server.origin)),
    );
    expect(accepted.status).toBe(101);
  });

  it('accepts the contract from a page opened as localhost, and refuses other origins on control routes', async () => {
    const { port, server, taps } = await startTestHarness();
    const local = connect(server, { origin: `http://localhost:${port}`, host: `localhost:${port}` });
    await local.opened;
    local.ws.send(JSON.stringify({ id: 1, channel: 'session:get-view' }));
    expect(await local.next(1)).toEqual([{ id: 1, outcome: { ok: true, result: view } }]);

    const body = JSON.stringify({ token: server.token, badgeId: 'H10301:100:1001' });
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${port + 1}`]) {
      const response = await rawRequest(
        port,
        requestText(
          'POST',
          '/control/tap',
          { host: `127.0.0.1:${port}`, origin, 'content-type': 'application/json' },
          body,
        ),
      );
      expect(response.status, origin).toBe(403);
    }
    expect(taps).toEqual([]);
    const own = await rawRequest(
      port,
      requestText(
        'POST',
        '/control/tap',
        { host: `127.0.0.1:${port}`, origin: server.origin, 'content-type': 'application/json' },
        body,
      ),
    );
    expect(own.status).toBe(200);
    expect(taps).toEqual(['H10301:100:1001']);
  });
});

describe('harness server: a wrong or missing token never learns the real one', () => {
  it('answers a token-less or wrong-token form post with 403 and no redirect', async () => {
    const { port, server, taps } = await startTestHarness();
    const headers = {
      host: `127.0.0.1:${port}`,
      origin: server.origin,
      'content-type': 'application/x-www-form-urlencoded',
    };
    for (const body of ['badgeId=H10301%3A100%3A1001', 'token=guess&badgeId=H10301%3A100%3A1001', '']) {
      const response = await rawRequest(port, requestText('POST', '/control/tap', headers, body));
      expect(response.status, body).toBe(403);
      expect(response.headers.location, body).toBeUndefined();
      expect(response.text, body).not.toContain(server.token);
      expect(response.body).toBe('Missing or wrong token.');
    }
    for (const target of ['/control', '/control?token=guess', '/control?token=']) {
      const page = await rawRequest(port, requestText('GET', target, { host: `127.0.0.1:${port}` }));
      expect(page.status, target).toBe(403);
      expect(page.text, target).not.toContain(server.token);
    }
    expect(taps).toEqual([]);
    // The control page's own form, with the token, still comes back to the page with what was done.
    const done = await rawRequest(
      port,
      requestText('POST', '/control/tap', headers, `token=${server.token}&badgeId=H10301%3A100%3A1001`),
    );
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`/control?token=${server.token}&done=tap%20done`);
    expect(taps).toEqual(['H10301:100:1001']);
  });
});

describe('harness server: a bad WebSocket client loses its own connection, nothing else', () => {
  it('closes a connection that sends an oversized frame with 1009, and keeps serving others', async () => {
    const { server, warnings } = await startTestHarness();
    const bystander = connect(server);
    const sender = connect(server);
    await Promise.all([bystander.opened, sender.opened]);
    sender.ws.send(JSON.stringify({ id: 1, channel: 'session:get-view', payload: 'x'.repeat(70 * 1024) }));
    expect((await sender.closed).code).toBe(1009);
    expect(warnings.some((w) => /closed a WebSocket: .*Max payload size exceeded/.test(w))).toBe(true);
    bystander.ws.send(JSON.stringify({ id: 2, channel: 'session:get-view' }));
    expect(await bystander.next(1)).toEqual([{ id: 2, outcome: { ok: true, result: view } }]);
  });

  it('closes a connection that sends invalid UTF-8 in a text frame with 1007, and keeps serving others', async () => {
    const { server, warnings } = await startTestHarness();
    const bystander = connect(server);
    const sender = connect(server);
    await Promise.all([bystander.opened, sender.opened]);
    // A lone continuation byte and an overlong encoding: not UTF-8, sent as a text frame.
    sender.ws.send(Buffer.from([0x7b, 0x80, 0xc0, 0xaf, 0x7d]), { binary: false });
    expect((await sender.closed).code).toBe(1007);
    expect(warnings.some((w) => /closed a WebSocket: .*UTF-8/i.test(w))).toBe(true);
    bystander.ws.send(JSON.stringify({ id: 3, channel: 'session:get-view' }));
    expect(await bystander.next(1)).toEqual([{ id: 3, outcome: { ok: true, result: view } }]);
  });

  it('closes a connection that sends a binary frame with 1003: the contract is JSON text', async () => {
    const { server, warnings } = await startTestHarness();
    const sender = connect(server);
    await sender.opened;
    sender.ws.send(Buffer.from(JSON.stringify({ id: 1, channel: 'session:get-view' })), { binary: true });
    expect(await sender.closed).toEqual({ code: 1003, reason: 'The contract is carried in JSON text frames.' });
    expect(warnings).toContain('harness: closed a WebSocket that sent a binary frame (the contract is JSON text)');
  });

  it('drops a client that stops reading instead of buffering events for it without bound', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { server, warnings, push } = await startTestHarness();
    const stalled = connect(server);
    await stalled.opened;
    stalled.ws.pause(); // stops reading its socket: the server's sends pile up behind the kernel's buffers
    // What a send queue holds: strings on the heap, buffers outside it.
    const held = () => (gc(), process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers);
    const before = held();
    const big = { ...view, workstation: 'W'.repeat(64 * 1024) };
    const pushes = 1_600; // about 100 MB of events in all
    for (let i = 0; i < pushes; i++) {
      push()!('session:view', big);
      if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(held() - before).toBeLessThan(16 * 1024 * 1024);
    expect(warnings.some((w) => w.includes(`stopped reading`) && w.includes(`limit is ${MAX_UNREAD_BYTES}`))).toBe(
      true,
    );
    stalled.ws.resume();
    expect((await stalled.closed).code).toBe(1006); // terminated, no close handshake behind an unread backlog
  });
});
