import type { IncomingHttpHeaders } from 'node:http';

/** Why a request was refused: the status to answer with and a reason that never carries the run's token. */
export interface Refusal {
  status: 403 | 421;
  reason: string;
}

/**
 * Who may talk to a harness on 127.0.0.1:<port>. The Host check defeats DNS rebinding (a page on a name that
 * now resolves to 127.0.0.1 still sends its own name as Host); the Origin check refuses pages of any other
 * origin, which a browser always names on a POST and on a WebSocket handshake.
 */
export interface LoopbackGuard {
  /** The hosts this harness answers to: 127.0.0.1, localhost and [::1], each on its port. */
  hosts: readonly string[];
  /** Refuses a request whose Host is not one of `hosts`, or whose Origin (when sent, or when required) is not. */
  check(headers: IncomingHttpHeaders, options?: { requireOrigin?: boolean }): Refusal | undefined;
}

export function loopbackGuard(port: number): LoopbackGuard {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  const origins = new Set(hosts.map((host) => `http://${host}`));
  const allowed = hosts.join(', ');
  return {
    hosts,
    check(headers, { requireOrigin = false } = {}) {
      const host = headers.host?.toLowerCase();
      if (!host || !hosts.includes(host))
        return {
          status: 421,
          reason: `This demo harness answers only as ${allowed}; the request named host "${headers.host ?? ''}". Open the URL the harness printed.`,
        };
      const origin = headers.origin;
      // Our pages are served with referrer-policy same-origin, so their own requests name their origin, never "null".
      if (origin === undefined ? requireOrigin : !origins.has(origin.toLowerCase()))
        return {
          status: 403,
          reason: `Refused a request from origin "${origin ?? 'none'}": only pages of this harness (${allowed}) may use it.`,
        };
      return undefined;
    },
  };
}
