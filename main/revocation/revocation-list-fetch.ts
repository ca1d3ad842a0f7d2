import { Agent, request } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { Clock } from '../../common/clock.js';
import { messageOf } from '../../common/errors.js';
import { REVOCATION_LIST_MAX_BYTES, REVOCATION_LIST_MEDIA_TYPE } from './revocation-list-format.js';
import type { RevocationListProblemCode } from './revocation-list-verifier.js';

/** What one poll brought: the list as served (and its ETag), or "not modified" for the ETag sent. */
export type FetchAnswer = { kind: 'not-modified' } | { kind: 'list'; body: string; etag?: string };

/** A fetch that brought no list, with the problem it is reported as. */
export class RevocationFetchError extends Error {
  constructor(
    readonly code: Extract<
      RevocationListProblemCode,
      'unreachable' | 'tls' | 'http-status' | 'content-type' | 'too-large' | 'redirect'
    >,
    message: string,
  ) {
    super(message);
  }
}

/** Fetches the list, conditionally on the ETag of the one in hand; rejects with a RevocationFetchError. */
export type FetchRevocationList = (etag: string | undefined) => Promise<FetchAnswer>;

export interface HttpsFetchOptions {
  url: string;
  /** PEM CAs trusted besides the system's (identity.extraCaFiles, identity.revocationList.extraCaFiles). */
  extraCaPems?: readonly string[];
  clock: Clock;
  timeoutMs?: number;
}

const MAX_REDIRECTS = 3;
const TLS_ERROR = /^(ERR_TLS_|ERR_SSL_|EPROTO$|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_)/;

/**
 * GETs the revocation list over HTTPS with If-None-Match, so most polls are a 304 of a few hundred bytes. Refuses
 * what a list server must not answer: another status than 200/304, another media type than application/jose, a
 * body over 1 MB (refused unread when declared), a redirect off the list's origin, any TLS failure. A redirect
 * within the origin is followed (a load balancer moving the file).
 */
export function httpsRevocationFetch(options: HttpsFetchOptions): FetchRevocationList & { close(): void } {
  const base = new URL(options.url);
  const agent = new Agent({
    keepAlive: true,
    maxSockets: 1,
    minVersion: 'TLSv1.2',
    ...(options.extraCaPems?.length ? { ca: [...rootCertificates, ...options.extraCaPems] } : {}),
  });
  const timeoutMs = options.timeoutMs ?? 15_000;

  function get(url: URL, etag: string | undefined, hops: number): Promise<FetchAnswer> {
    return new Promise<FetchAnswer>((resolve, reject) => {
      const headers: Record<string, string> = { accept: REVOCATION_LIST_MEDIA_TYPE };
      if (etag) headers['if-none-match'] = etag;
      const req = request(url, { method: 'GET', agent, headers });
      const fail = (error: RevocationFetchError) => {
        cancel();
        req.destroy();
        reject(error);
      };
      const cancel = options.clock.setTimer(timeoutMs, () =>
        fail(new RevocationFetchError('unreachable', `${url.origin} did not answer within ${timeoutMs} ms`)),
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        cancel();
        const code = error.code ?? '';
        reject(
          TLS_ERROR.test(code)
            ? new RevocationFetchError('tls', `TLS with ${url.origin} failed (${code}): ${error.message}`)
            : new RevocationFetchError('unreachable', `cannot reach ${url.origin}: ${messageOf(error)}`),
        );
      });
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (status === 304) {
          res.resume();
          cancel();
          return resolve({ kind: 'not-modified' });
        }
        if ([301, 302, 303, 307, 308].includes(status)) {
          res.resume();
          const location = res.headers.location;
          const next = location ? new URL(location, url) : undefined;
          if (!next || next.origin !== base.origin || hops >= MAX_REDIRECTS)
            return fail(
              new RevocationFetchError(
                'redirect',
                `${url.origin} redirected to ${next?.origin ?? 'nowhere'}; the list is read only from ${base.origin}`,
              ),
            );
          cancel();
          return resolve(get(next, etag, hops + 1));
        }
        if (status !== 200) {
          res.resume();
          return fail(new RevocationFetchError('http-status', `${url.href} answered HTTP ${status}`));
        }
        const type = (res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (type !== REVOCATION_LIST_MEDIA_TYPE) {
          res.resume();
          return fail(
            new RevocationFetchError(
              'content-type',
              `${url.href} answered "${type || 'no content type'}", not ${REVOCATION_LIST_MEDIA_TYPE}`,
            ),
          );
        }
        const tooLarge = () =>
          new RevocationFetchError('too-large', `${url.href} answered more than ${REVOCATION_LIST_MAX_BYTES} bytes`);
        if (Number(res.headers['content-length'] ?? 0) > REVOCATION_LIST_MAX_BYTES) return fail(tooLarge());
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > REVOCATION_LIST_MAX_BYTES) return fail(tooLarge());
          chunks.push(chunk);
        });
        res.on('error', (error) =>
          fail(new RevocationFetchError('unreachable', `${url.href}: the answer broke off: ${error.message}`)),
        );
        res.on('end', () => {
          cancel();
          if (size > REVOCATION_LIST_MAX_BYTES) return;
          const tag = res.headers.etag;
          resolve({ kind: 'list', body: Buffer.concat(chunks).toString('utf8'), ...(tag ? { etag: tag } : {}) });
        });
      });
      req.end();
    });
  }

  const fetchList = (etag: string | undefined) => get(base, etag, 0);
  return Object.assign(fetchList, { close: () => agent.destroy() });
}
