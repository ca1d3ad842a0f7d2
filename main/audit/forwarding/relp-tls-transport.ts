import type { TLSSocket } from 'node:tls';
import type { Clock } from '../../../common/clock.js';
import { messageOf } from '../../../common/errors.js';
import type { StoredAuditEvent } from '../journal/journal-reader.js';
import type { AuditTransport } from './audit-transport.js';
import { DeliveryError } from './audit-transport.js';
import type { RelpResponse } from './relp-frame.js';
import { encodeRelpFrame, nextTxnr, parseRelpOffers, parseRelpResponse, RelpFrameParser } from './relp-frame.js';
import type { TlsEndpoint } from './tls-connect.js';
import { connectTls } from './tls-connect.js';

export interface RelpTlsOptions extends TlsEndpoint {
  clock: Clock;
  connectTimeoutMs: number;
  /** How long the collector may take to answer a command before the session counts as dead. */
  ackTimeoutMs: number;
  /** Most `syslog` commands awaiting their `rsp` at once (librelp's default is 128). */
  window: number;
  format: (event: StoredAuditEvent) => Buffer;
}

/** Answers are short; this bounds what a misbehaving collector can make us buffer (librelp's own limit). */
const MAX_ANSWER_BYTES = 128 * 1024;
const OPEN_OFFERS = 'relp_version=0\nrelp_software=careshell\ncommands=syslog';

interface Waiter {
  txnr: number;
  command: string;
  settle(error: Error | undefined, response?: RelpResponse): void;
}

/** One RELP session: commands go out with rising txnr; the collector answers each, in order. */
class RelpSession {
  private txnr = 0;
  private readonly waiting: Waiter[] = [];
  private readonly parser = new RelpFrameParser(MAX_ANSWER_BYTES);
  private failure?: Error;
  private readonly freed = new Set<() => void>();

  constructor(
    readonly socket: TLSSocket,
    private readonly label: string,
    private readonly options: RelpTlsOptions,
  ) {
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of this.parser.push(chunk)) this.onFrame(frame.txnr, frame.command, frame.data);
      } catch (error) {
        this.fail(new Error(`the ${label} broke the RELP protocol: ${messageOf(error)}`));
      }
    });
    socket.on('error', (error) => this.fail(new Error(`the connection to the ${label} failed: ${error.message}`)));
    socket.on('end', () => this.fail(new Error(`the ${label} closed the connection`)));
    socket.on('close', () => this.fail(new Error(`the connection to the ${label} closed`)));
  }

  get dead(): Error | undefined {
    return this.failure;
  }

  get outstanding(): number {
    return this.waiting.length;
  }

  /** Sends one command; resolves with its answer, or rejects when the session dies first. */
  command(command: string, data?: Buffer): Promise<RelpResponse> {
    if (this.failure) return Promise.reject(this.failure);
    this.txnr = nextTxnr(this.txnr);
    const txnr = this.txnr;
    return new Promise((resolve, reject) => {
      const cancel = this.options.clock.setTimer(this.options.ackTimeoutMs, () =>
        this.fail(new Error(`the ${this.label} did not answer within ${this.options.ackTimeoutMs} ms`)),
      );
      this.waiting.push({
        txnr,
        command,
        settle: (error, response) => {
          cancel();
          if (error) reject(error);
          else resolve(response!);
        },
      });
      this.socket.write(encodeRelpFrame(txnr, command, data));
    });
  }

  /** Resolves once fewer than `window` commands await an answer (at once when the session is dead). */
  async room(window: number): Promise<void> {
    while (this.waiting.length >= window && !this.failure) {
      await new Promise<void>((resolve) => this.freed.add(resolve));
    }
  }

  fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.socket.destroy();
    for (const waiter of this.waiting.splice(0)) waiter.settle(error);
    this.wake();
  }

  private onFrame(txnr: number, command: string, data: Buffer): void {
    if (command === 'serverclose' && txnr === 0) {
      this.fail(new Error(`the ${this.label} is closing the session (serverclose)`));
      return;
    }
    if (command !== 'rsp') throw new Error(`unexpected command "${command}" (txnr ${txnr})`);
    const waiter = this.waiting[0];
    // The spec has the server answer in the order the commands were sent.
    if (!waiter || waiter.txnr !== txnr) {
      throw new Error(
        `an answer for txnr ${txnr}, but ${waiter ? `txnr ${waiter.txnr}` : 'no command'} is awaiting one`,
      );
    }
    // The answer to `close` carries no status; every other answer must start with one.
    const response = waiter.command === 'close' && data.length === 0 ? undefined : parseRelpResponse(data);
    this.waiting.shift();
    waiter.settle(undefined, response ?? { code: 200, message: '', body: '' });
    this.wake();
  }

  private wake(): void {
    for (const resolve of this.freed) resolve();
    this.freed.clear();
  }
}

/**
 * IHE ATNA messages (the same RFC 5424 message as the syslog-TLS transport) over RELP with TLS. Every event is
 * a `syslog` command and the collector's `rsp 200` for it is the acknowledgement: `send` resolves only when
 * every event in the batch was acknowledged, and otherwise reports how many leading events were, so the
 * forwarder's cursor moves only past acknowledged events. Up to `window` commands are in flight at once;
 * those not acknowledged when a session dies are sent again on the next one (at least once, same event ids).
 */
export class RelpTlsTransport implements AuditTransport {
  private session?: RelpSession;
  private connecting?: TLSSocket;
  /** A session whose `open` is not answered yet. */
  private opening?: RelpSession;
  private readonly label: string;

  constructor(private readonly options: RelpTlsOptions) {
    this.label = `RELP collector at ${options.host}:${options.port}`;
  }

  async send(events: readonly StoredAuditEvent[]): Promise<void> {
    let session: RelpSession;
    try {
      session = await this.connection();
    } catch (error) {
      throw new DeliveryError(messageOf(error), 0);
    }
    const answers: Promise<RelpResponse>[] = [];
    for (const event of events) {
      await session.room(this.options.window);
      if (session.dead) break;
      const answer = session.command('syslog', this.options.format(event));
      // Looked at in order below; this only keeps an early rejection from counting as unhandled.
      answer.catch(() => undefined);
      answers.push(answer);
    }
    for (const [index, answer] of answers.entries()) {
      let response: RelpResponse;
      try {
        response = await answer;
      } catch (error) {
        throw new DeliveryError(messageOf(error), index);
      }
      if (response.code !== 200) {
        const event = events[index]!;
        throw new DeliveryError(
          `the ${this.label} refused event seq ${event.seq} (${event.id}): ${response.code} ${response.message}`,
          index,
        );
      }
    }
    if (answers.length < events.length) {
      throw new DeliveryError(session.dead?.message ?? `the ${this.label} session ended`, answers.length);
    }
  }

  /**
   * Fails a send in progress at once (what was not acknowledged stays in the journal for the next start),
   * then ends the session with `close`, waiting for its answer no longer than the connect timeout.
   */
  async close(): Promise<void> {
    const stopped = new Error('the forwarder was stopped before the collector acknowledged the batch');
    this.connecting?.destroy(stopped);
    this.opening?.fail(stopped);
    const session = this.session;
    this.session = undefined;
    if (!session || session.dead) return;
    if (session.outstanding > 0) {
      session.fail(stopped);
      return;
    }
    const cancel = this.options.clock.setTimer(this.options.connectTimeoutMs, () => session.fail(stopped));
    await session.command('close').catch(() => undefined);
    cancel();
    session.fail(stopped);
  }

  private async connection(): Promise<RelpSession> {
    if (this.session && !this.session.dead) return this.session;
    this.session = undefined;
    const { clock, connectTimeoutMs } = this.options;
    let socket: TLSSocket;
    try {
      socket = await connectTls(this.options, this.label, clock, connectTimeoutMs, (s) => (this.connecting = s));
    } finally {
      this.connecting = undefined;
    }
    const session = new RelpSession(socket, this.label, this.options);
    this.opening = session;
    let answer: RelpResponse;
    try {
      answer = await session.command('open', Buffer.from(OPEN_OFFERS, 'utf8'));
    } finally {
      this.opening = undefined;
    }
    const refuse = (why: string) => {
      session.fail(new Error(why));
      return new Error(`the ${this.label} ${why}`);
    };
    if (answer.code !== 200) throw refuse(`refused the session: ${answer.code} ${answer.message}`);
    let offers: Map<string, string[]>;
    try {
      offers = parseRelpOffers(answer.body);
    } catch (error) {
      throw refuse(`answered open with malformed offers: ${messageOf(error)}`);
    }
    if (!offers.get('relp_version')?.includes('0')) throw refuse('does not offer relp_version=0');
    if (!offers.get('commands')?.includes('syslog')) throw refuse('does not offer the syslog command');
    this.session = session;
    return session;
  }
}
