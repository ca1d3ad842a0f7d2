import { request as httpRequest } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import type { Clock } from '../../common/clock.js';

export interface FhirRestOptions {
  /** PEM of the CA(s) that signed the server's certificate; the system's CAs otherwise. */
  ca?: string;
  clock: Clock;
  timeoutMs: number;
}

/**
 * A small FHIR REST client (JSON over HTTPS, or HTTP to a server on this machine): the review source and the
 * EHR's access log are read with it. Every answer is parsed by the caller's schema: a server is trusted with
 * nothing.
 */
export class FhirRest {
  private readonly agent: Agent;

  constructor(private readonly options: FhirRestOptions) {
    this.agent = new Agent({ keepAlive: true, ca: options.ca, minVersion: 'TLSv1.2' });
  }

  get(url: URL, bearer?: string): Promise<unknown> {
    return this.call('GET', url, undefined, bearer);
  }

  put(url: URL, body: unknown, bearer?: string): Promise<unknown> {
    return this.call('PUT', url, JSON.stringify(body), bearer);
  }

  close(): void {
    this.agent.destroy();
  }

  private call(
    method: 'GET' | 'PUT',
    url: URL,
    body: string | undefined,
    bearer: string | undefined,
  ): Promise<unknown> {
    const { clock, timeoutMs } = this.options;
    const secure = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { accept: 'application/fhir+json' };
      if (bearer) headers.authorization = `Bearer ${bearer}`;
      if (body !== undefined) {
        headers['content-type'] = 'application/fhir+json';
        headers['content-length'] = Buffer.byteLength(body);
      }
      const req = secure
        ? httpsRequest(url, { method, agent: this.agent, headers })
        : httpRequest(url, { method, headers });
      const cancel = clock.setTimer(timeoutMs, () =>
        req.destroy(new Error(`no answer from ${url.origin} within ${timeoutMs} ms`)),
      );
      req.on('error', (error) => {
        cancel();
        reject(new Error(`cannot reach ${url.origin}${url.pathname}: ${error.message}`));
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          cancel();
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            reject(new Error(`${url.origin}${url.pathname} answered HTTP ${status}: ${text.slice(0, 300)}`));
            return;
          }
          try {
            resolve(text ? JSON.parse(text) : undefined);
          } catch {
            reject(new Error(`${url.origin}${url.pathname} answered something that is not JSON`));
          }
        });
      });
      req.end(body);
    });
  }
}

/** Whether a URL may be used: https, or http only to this machine (the demo's servers). */
export function isAllowedFhirUrl(url: string): boolean {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed) return false;
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(parsed.hostname);
}
