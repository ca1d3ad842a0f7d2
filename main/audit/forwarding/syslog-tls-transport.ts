import type { TLSSocket } from 'node:tls';
import type { Clock } from '../../../common/clock.js';
import type { JournalPosition } from '../journal/audit-journal.js';
import type { StoredAuditEvent } from '../journal/journal-reader.js';
import type { AuditTransport } from './audit-transport.js';
import { DeliveryError } from './audit-transport.js';
import { octetCountedFrame } from './syslog-frame.js';
import type { TlsEndpoint } from './tls-connect.js';
import { connectTls } from './tls-connect.js';

export interface SyslogTlsOptions extends TlsEndpoint {
  clock: Clock;
  /** Syslog over TLS has no acknowledgement: a batch counts as delivered once the connection stayed up this long after it was written. */
  settleMs: number;
  connectTimeoutMs: number;
  /**
   * Bytes of messages, counted back from the last one written on a connection, that may still sit in the
   * kernels' buffers (ours to send, the collector's unread) and are sent again after the connection fails.
   */
  resendWindowBytes: number;
  format: (event: StoredAuditEvent) => Buffer;
}

/** An event written on the current connection that may not have reached the collector's process yet. */
interface Unconfirmed {
  /** Where the event starts in the journal: resending from here sends it again. */
  start: JournalPosition;
  /** Bytes written on the connection up to the end of its frame. */
  endByte: number;
}

/**
 * IHE ATNA transport: RFC 5424 messages, RFC 5425 octet-counted, over one long-lived TLS connection.
 * RFC 5425 has no application-level acknowledgement. A batch is reported sent once its write completed and
 * the connection was still up `settleMs` later, but a write only hands bytes to the kernel: a collector that
 * hangs and then dies loses what both kernels still held. So the last `resendWindowBytes` of messages stay
 * unconfirmed (`confirmedPosition`, the cursor the forwarder saves) until that many more bytes followed them
 * or the collector closed the connection cleanly after reading all of it; after any failure the forwarder
 * sends them again (at least once, with duplicates the collector drops by event id). docs/audit.md#transports
 */
export class SyslogTlsTransport implements AuditTransport {
  private socket?: TLSSocket;
  /** The connection being set up, so that `close` can cut it too. */
  private connecting?: TLSSocket;
  private readonly dropWaiters = new Set<(error: Error) => void>();
  private unconfirmed: Unconfirmed[] = [];
  /** Bytes written on the current connection. */
  private written = 0;
  /** The connection dropped while events on it were unconfirmed: the next send must have them resent first. */
  private lostUnconfirmed?: string;

  constructor(private readonly options: SyslogTlsOptions) {}

  confirmedPosition(): JournalPosition | undefined {
    return this.unconfirmed[0]?.start;
  }

  async send(events: readonly StoredAuditEvent[]): Promise<void> {
    try {
      if (this.lostUnconfirmed) {
        throw new DeliveryError(
          `${this.lostUnconfirmed}; sending again the ${this.unconfirmed.length} event(s) it may not have received`,
          0,
        );
      }
      const socket = await this.connection();
      const frames = events.map((event) => octetCountedFrame(this.options.format(event)));
      await this.whileConnected(
        new Promise<void>((resolve, reject) =>
          socket.write(Buffer.concat(frames), (error) => (error ? reject(error) : resolve())),
        ),
      );
      await this.whileConnected(
        new Promise<void>((resolve) => this.options.clock.setTimer(this.options.settleMs, resolve)),
      );
      for (const [index, event] of events.entries()) {
        this.written += frames[index]!.length;
        this.unconfirmed.push({
          start: { segment: event.segment, offset: event.offset, seq: event.seq - 1 },
          endByte: this.written,
        });
      }
      while (
        this.unconfirmed.length > 0 &&
        this.written - this.unconfirmed[0]!.endByte >= this.options.resendWindowBytes
      )
        this.unconfirmed.shift();
    } catch (error) {
      // The forwarder goes back to the confirmed position after a failure and sends everything from there again.
      this.unconfirmed = [];
      this.lostUnconfirmed = undefined;
      throw error;
    }
  }

  /**
   * Fails a send in progress at once (its batch was not acknowledged, so it stays in the journal and goes
   * out again on the next start), then closes the connection: a stop never waits on a settle timer or on a
   * collector that stopped answering. A collector that answers the close with its own has read everything.
   */
  async close(): Promise<void> {
    const stopped = new Error('the forwarder was stopped before the collector acknowledged the batch');
    for (const waiter of this.dropWaiters) waiter(stopped);
    this.connecting?.destroy(stopped);
    const socket = this.socket;
    this.socket = undefined;
    if (!socket || socket.destroyed) return;
    const closedByCollector = await new Promise<boolean>((resolve) => {
      let answered = false;
      const cancel = this.options.clock.setTimer(this.options.connectTimeoutMs, () => socket.destroy());
      socket.once('end', () => (answered = true));
      socket.once('error', () => (answered = false));
      socket.once('close', () => {
        cancel();
        resolve(answered);
      });
      socket.end();
    });
    if (closedByCollector) this.unconfirmed = [];
  }

  /** Races a step against the connection dropping. */
  private whileConnected(step: Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
      const onDrop = (error: Error) => reject(error);
      this.dropWaiters.add(onDrop);
      step.then(resolve, reject).finally(() => this.dropWaiters.delete(onDrop));
    });
  }

  private async connection(): Promise<TLSSocket> {
    if (this.socket) return this.socket;
    const { host, port, clock, connectTimeoutMs } = this.options;
    let socket: TLSSocket;
    try {
      socket = await connectTls(this.options, 'ATNA collector', clock, connectTimeoutMs, (s) => (this.connecting = s));
    } finally {
      this.connecting = undefined;
    }
    this.written = 0;
    const dropped = (reason: string) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      socket.destroy();
      const error = new Error(`the connection to the ATNA collector at ${host}:${port} ${reason}`);
      if (this.unconfirmed.length > 0) this.lostUnconfirmed = error.message;
      for (const waiter of this.dropWaiters) waiter(error);
    };
    socket.on('error', (error) => dropped(`failed: ${error.message}`));
    socket.on('end', () => dropped('was closed by the collector'));
    socket.on('close', () => dropped('closed'));
    // The collector does not answer on this channel; read and discard so the socket never stalls.
    socket.resume();
    this.socket = socket;
    return socket;
  }
}
