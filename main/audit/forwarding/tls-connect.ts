import { isIP } from 'node:net';
import { connect } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import type { Clock } from '../../../common/clock.js';

/** A collector reached over TLS 1.2+, with mutual TLS when a client certificate and key are given. */
export interface TlsEndpoint {
  host: string;
  port: number;
  /** PEM bundle of the CAs that may sign the collector's certificate (the system store when absent). */
  ca?: string;
  /** Client certificate and key for mutual TLS (ATNA node authentication, ITI-19). */
  cert?: string;
  key?: string;
}

/**
 * Starts a TLS connection and resolves once the handshake is done; `what` names the collector in errors.
 * `started` is handed the socket at once, so a caller can cut a connection that is still being set up.
 */
export async function connectTls(
  endpoint: TlsEndpoint,
  what: string,
  clock: Clock,
  timeoutMs: number,
  started: (socket: TLSSocket) => void,
): Promise<TLSSocket> {
  const { host, port, ca, cert, key } = endpoint;
  const socket = connect({
    host,
    port,
    ca,
    cert,
    key,
    minVersion: 'TLSv1.2',
    ...(isIP(host) ? {} : { servername: host }),
  });
  started(socket);
  await new Promise<void>((resolve, reject) => {
    const cancel = clock.setTimer(timeoutMs, () =>
      socket.destroy(new Error(`no TLS connection to ${host}:${port} within ${timeoutMs} ms`)),
    );
    socket.once('secureConnect', () => {
      cancel();
      resolve();
    });
    socket.once('error', (error) => {
      cancel();
      reject(new Error(`cannot reach the ${what} at ${host}:${port}: ${error.message}`));
    });
  });
  return socket;
}
