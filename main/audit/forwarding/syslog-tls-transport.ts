import { connect } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { isIP } from 'node:net';
import type { Clock } from '../../../common/clock.js';
import type { StoredAuditEvent } from '../journal/journal-reader.js';
import type { AuditTransport } from './audit-transport.js';
import { octetCountedFrame } from './syslog-frame.js';

export interface SyslogTlsOptions {
  host: string;
  port: number;
  /** PEM bundle of the CAs that may sign the collector's certificate (the system store when absent). */
  ca?: string;
  /** Client certificate and key for mutual TLS (ATNA node authentication, ITI-19). */
  cert?: string;
  key?: string;
  clock: Clock;
  /** Syslog over TLS has no acknowledgement: a batch counts as delivered once the connection stayed up this long after it was written. */
  settleMs: number;
  connectTimeoutMs: number;
  format: (event: StoredAuditEvent) => Buffer;
}

/**
 * IHE ATNA transport: RFC 5424 messages, RFC 5425 octet-counted, over one long-lived TLS connection.
 * RFC 5425 has no application-level acknowledgement, so a batch is reported delivered only when the write
 * completed and the connection was still up `settleMs` later; a connection that drops sooner makes the
 * batch fail and the forwarder sends it again (at-least-once; the event id lets the collector de-duplicate).
 */
export class SyslogTlsTransport implements AuditTransport {
  private socket?: TLSSocket;
  /** The connection being set up, so that `close` can cut it too. */
  private connecting?: TLSSocket;
  private readonly dropWaiters = new Set<(error: Error) => void>();

  constructor(private readonly options: SyslogTlsOptions) {}

  async send(events: readonly StoredAuditEvent[]): Promise<void> {
    const socket = await this.connection();
    const payload = Buffer.concat(events.map((event) => octetCountedFrame(this.options.format(event))));
    await this.whileConnected(
      new Promise<void>((resolve, reject) => socket.write(payload, (error) => (error ? reject(error) : resolve()))),
    );
    await this.whileConnected(
      new Promise<void>((resolve) => this.options.clock.setTimer(this.options.settleMs, resolve)),
    );
  }

  /**
   * Fails a send in progress at once (its batch was not acknowledged, so it stays in the journal and goes
   * out again on the next start), then closes the connection: a stop never waits on a settle timer or on a
   * collector that stopped answering.
   */
  async close(): Promise<void> {
    const stopped = new Error('the forwarder was stopped before the collector acknowledged the batch');
    for (const waiter of this.dropWaiters) waiter(stopped);
    this.connecting?.destroy(stopped);
    const socket = this.socket;
    this.socket = undefined;
    if (!socket || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      const cancel = this.options.clock.setTimer(this.options.connectTimeoutMs, () => socket.destroy());
      socket.once('close', () => {
        cancel();
        resolve();
      });
      socket.end();
    });
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
    const { host, port, ca, cert, key, clock, connectTimeoutMs } = this.options;
    const socket = connect({
      host,
      port,
      ca,
      cert,
      key,
      minVersion: 'TLSv1.2',
      ...(isIP(host) ? {} : { servername: host }),
    });
    this.connecting = socket;
    try {
      await new Promise<void>((resolve, reject) => {
        const cancel = clock.setTimer(connectTimeoutMs, () =>
          socket.destroy(new Error(`no TLS connection to ${host}:${port} within ${connectTimeoutMs} ms`)),
        );
        socket.once('secureConnect', () => {
          cancel();
          resolve();
        });
        socket.once('error', (error) => {
          cancel();
          reject(new Error(`cannot reach the ATNA collector at ${host}:${port}: ${error.message}`));
        });
      });
    } finally {
      this.connecting = undefined;
    }
    const dropped = (reason: string) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      socket.destroy();
      const error = new Error(`the connection to the ATNA collector at ${host}:${port} ${reason}`);
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
