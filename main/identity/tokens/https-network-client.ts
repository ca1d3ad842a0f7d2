import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

export interface HttpsNetworkClientOptions {
  /** Extra CA certificates (PEM) to trust on top of Node's built-in roots, e.g. a hospital's TLS proxy CA. */
  extraCaPems?: readonly string[];
  /** Gives up on an identity provider that does not answer, so an outage becomes a clear error quickly. */
  timeoutMs?: number;
}

/**
 * msal-node's network client over node:https, so the set of trusted CAs is injected instead of read from the
 * process environment (NODE_EXTRA_CA_CERTS only works at process start, and not at all inside Electron's main).
 */
export class HttpsNetworkClient implements INetworkModule {
  private readonly ca: string[] | undefined;
  private readonly timeoutMs: number;

  constructor(options: HttpsNetworkClientOptions = {}) {
    this.ca = options.extraCaPems?.length ? [...rootCertificates, ...options.extraCaPems] : undefined;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  private send<T>(
    method: string,
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    const target = new URL(url);
    if (target.protocol !== 'https:') {
      return Promise.reject(new Error(`Refusing to send identity traffic over ${target.protocol} (${target.host}).`));
    }
    const body = method === 'POST' ? (options?.body ?? '') : undefined;
    const headers: Record<string, string | number> = { ...options?.headers };
    if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
    return new Promise((resolve, reject) => {
      const req = request(target, { method, headers, ca: this.ca, timeout: timeout ?? this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const responseHeaders: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          let parsed: unknown;
          try {
            parsed = text === '' ? {} : JSON.parse(text);
          } catch {
            reject(
              new Error(`The identity provider at ${target.host} answered ${res.statusCode} with a non-JSON body.`),
            );
            return;
          }
          resolve({ headers: responseHeaders, body: parsed as T, status: res.statusCode ?? 0 });
        });
      });
      req.on('timeout', () =>
        req.destroy(new Error(`The identity provider at ${target.host} did not answer in time.`)),
      );
      req.on('error', (error) => reject(new IdentityNetworkError(target.host, error)));
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}

/** The provider could not be reached at all (refused, timed out, TLS failure): an outage, not a bad answer. */
export class IdentityNetworkError extends Error {
  constructor(
    readonly host: string,
    override readonly cause: Error,
  ) {
    super(`Cannot reach the identity provider at ${host}: ${cause.message}`);
    this.name = 'IdentityNetworkError';
  }
}
