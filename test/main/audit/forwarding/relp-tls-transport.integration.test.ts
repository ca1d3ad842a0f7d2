import type { AddressInfo } from 'node:net';
import { createServer } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../../common/clock.js';
import { DeliveryError } from '../../../../main/audit/forwarding/audit-transport.js';
import type { RelpFrame } from '../../../../main/audit/forwarding/relp-frame.js';
import { encodeRelpFrame, RelpFrameParser } from '../../../../main/audit/forwarding/relp-frame.js';
import { RelpTlsTransport } from '../../../../main/audit/forwarding/relp-tls-transport.js';
import type { StoredAuditEvent } from '../../../../main/audit/journal/journal-reader.js';
import { sampleEvent } from '../support/journal-fixture.js';
import { useTeardown, useTestTls } from '../support/lifecycle.js';

const tls = useTestTls();
const teardown = useTeardown();

const OPEN_OK = '200 OK\nrelp_version=0\nrelp_software=librelp,1.11.0\ncommands=syslog';

/** What a scripted collector does with each frame: bytes to answer with, or nothing (it keeps quiet). */
type Script = (frame: RelpFrame, socket: TLSSocket) => Buffer | string | undefined;

const answer = (frame: RelpFrame, data: string) => encodeRelpFrame(frame.txnr, 'rsp', Buffer.from(data));
const librelpLike: Script = (frame) => (frame.command === 'open' ? answer(frame, OPEN_OK) : answer(frame, '200 OK'));

/** A RELP collector on 127.0.0.1 that follows `script`; it records every frame it was sent. */
async function collector(script: Script) {
  const frames: RelpFrame[] = [];
  const server = createServer({ cert: tls().certPem, key: tls().keyPem }, (socket) => {
    const parser = new RelpFrameParser(1024 * 1024);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of parser.push(chunk)) {
        frames.push(frame);
        const reply = script(frame, socket);
        if (reply !== undefined) socket.write(reply);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  teardown(() => new Promise((resolve) => server.close(resolve)));
  const transport = new RelpTlsTransport({
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    ca: tls().caPem,
    clock: systemClock,
    connectTimeoutMs: 2_000,
    ackTimeoutMs: 400,
    window: 4,
    format: (event) => Buffer.from(`<85>1 - - - - - [x@64000 eventId="${event.id}"] hello`),
  });
  teardown(() => transport.close());
  return { frames, transport };
}

function events(count: number): StoredAuditEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `event-${i + 1}`,
    seq: i + 1,
    event: sampleEvent('session.lock', i),
    segment: 'seg-0000000000000001.jsonl',
    offset: i * 100,
    next: { segment: 'seg-0000000000000001.jsonl', offset: (i + 1) * 100, seq: i + 1 },
  }));
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('the RELP transport against scripted collectors', () => {
  it('opens with relp_version=0 and commands=syslog, numbers commands from 1, and ends with close', async () => {
    const { frames, transport } = await collector(librelpLike);
    await transport.send(events(3));
    await transport.close();
    expect(frames.map((f) => [f.txnr, f.command])).toEqual([
      [1, 'open'],
      [2, 'syslog'],
      [3, 'syslog'],
      [4, 'syslog'],
      [5, 'close'],
    ]);
    expect(frames[0]!.data.toString()).toMatch(/^relp_version=0\n.*\ncommands=syslog$/s);
    expect(frames[1]!.data.toString()).toContain('eventId="event-1"');
  });

  it('keeps at most `window` commands unanswered', async () => {
    const unanswered: RelpFrame[] = [];
    let most = 0;
    const { transport } = await collector((frame, socket) => {
      if (frame.command === 'open') return answer(frame, OPEN_OK);
      unanswered.push(frame);
      most = Math.max(most, unanswered.length);
      // Answers only when the client has stopped sending: a full window.
      setImmediate(() => {
        for (const f of unanswered.splice(0)) socket.write(answer(f, '200 OK'));
      });
      return undefined;
    });
    await transport.send(events(10));
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
  });

  it('reports the events before a refusal (500) as delivered, and the refused one by seq', async () => {
    const { transport } = await collector((frame) =>
      frame.command === 'open' ? answer(frame, OPEN_OK) : answer(frame, frame.txnr === 4 ? '500 queue full' : '200 OK'),
    );
    const error = await failure(transport.send(events(5)));
    expect(error.delivered).toBe(2);
    expect(error.message).toMatch(/refused event seq 3 \(event-3\): 500 queue full/);
  });

  it('fails the send, without crashing, on a malformed answer or one for the wrong command', async () => {
    const garbled = await collector((frame) =>
      frame.command === 'open' ? answer(frame, OPEN_OK) : 'x rsp 6 200 OK\n',
    );
    expect((await failure(garbled.transport.send(events(2)))).message).toMatch(
      /broke the RELP protocol: expected a transaction number/,
    );
    const misnumbered = await collector((frame) =>
      frame.command === 'open' ? answer(frame, OPEN_OK) : encodeRelpFrame(frame.txnr + 1, 'rsp', Buffer.from('200 OK')),
    );
    const error = await failure(misnumbered.transport.send(events(2)));
    expect(error).toMatchObject({ delivered: 0 });
    expect(error.message).toMatch(/an answer for txnr 3, but txnr 2 is awaiting one/);
    const statusless = await collector((frame) =>
      frame.command === 'open' ? answer(frame, OPEN_OK) : answer(frame, 'OK'),
    );
    expect((await failure(statusless.transport.send(events(1)))).message).toMatch(/does not start with a 3-digit code/);
  });

  it('refuses a collector that does not offer RELP version 0 or the syslog command', async () => {
    const noSyslog = await collector((frame) => answer(frame, '200 OK\nrelp_version=0\ncommands=eventlog'));
    expect((await failure(noSyslog.transport.send(events(1)))).message).toMatch(/does not offer the syslog command/);
    const refused = await collector((frame) => answer(frame, '500 required command not supported by client'));
    expect((await failure(refused.transport.send(events(1)))).message).toMatch(/refused the session: 500/);
  });

  it('gives up on a collector that stops answering, and on one that says serverclose', async () => {
    const quiet = await collector((frame) => (frame.command === 'open' ? answer(frame, OPEN_OK) : undefined));
    expect((await failure(quiet.transport.send(events(2)))).message).toMatch(/did not answer within 400 ms/);
    const closing = await collector((frame) =>
      frame.command === 'open' ? answer(frame, OPEN_OK) : encodeRelpFrame(0, 'serverclose'),
    );
    const error = await failure(closing.transport.send(events(2)));
    expect(error).toMatchObject({ delivered: 0 });
    expect(error.message).toMatch(/serverclose/);
  });
});
