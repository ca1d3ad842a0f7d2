import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/** What the provider posts to the redirect URI (OAuth 2.0 Form Post Response Mode): a code or an error. */
const authorizationResponseSchema = z
  .object({
    state: z.string().min(1),
    code: z.string().min(1).optional(),
    error: z.string().min(1).optional(),
    error_description: z.string().optional(),
    client_info: z.string().optional(),
  })
  .refine((r) => r.code !== undefined || r.error !== undefined, 'the answer has neither a code nor an error');

export type AuthorizationResponse = z.infer<typeof authorizationResponseSchema>;

export interface LoopbackListenerOptions {
  /** The state sent in the authorization request; answers that do not carry exactly this one are refused. */
  state: string;
  /** Shown in the browser once the provider's answer has arrived. */
  successPage: string;
  errorPage: string;
}

const MAX_BODY_BYTES = 64 * 1024;

/**
 * The redirect listener for one interactive sign-in: http://localhost:<free port>, bound to 127.0.0.1,
 * accepting only a form_post answer with the expected state. msal-node 6 removed the custom loopback client
 * from acquireTokenInteractive and its own listener cannot be stopped from outside, so the broker runs the
 * flow with this one, which it can close at any time (window closed, timeout): a pending wait then rejects
 * and the port is released, so an abandoned sign-in leaves nothing listening.
 */
export class LoopbackListener {
  /** Settles with the provider's answer, or rejects with the reason given to close() if it comes first. */
  readonly response: Promise<AuthorizationResponse>;
  private settle!: { resolve(answer: AuthorizationResponse): void; reject(reason: Error): void };
  private settled = false;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly options: LoopbackListenerOptions,
  ) {
    this.response = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    // A closed listener's rejection is read by whoever waits; none waiting must not crash the process.
    this.response.catch(() => undefined);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.handle(req, res));
    server.on('error', (error) => this.close(error));
  }

  static async open(options: LoopbackListenerOptions): Promise<LoopbackListener> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new LoopbackListener(server, (server.address() as AddressInfo).port, options);
  }

  /** The redirect URI to send: a native client registered with http://localhost accepts any port (RFC 8252 §7.3). */
  get redirectUri(): string {
    return `http://localhost:${this.port}`;
  }

  /** Stops listening and drops open connections; a wait still pending rejects with `reason`. Idempotent. */
  close(reason: Error): void {
    if (!this.settled) {
      this.settled = true;
      this.settle.reject(reason);
    }
    this.stop();
  }

  private stop(): void {
    if (!this.server.listening) return;
    this.server.close();
    this.server.closeAllConnections();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const { options } = this;
    if (req.method !== 'POST' || (req.url ?? '/').split('?')[0] !== '/') {
      reply(res, 404, 'Not found.');
      return;
    }
    if (req.headers['content-type']?.split(';')[0]?.trim() !== 'application/x-www-form-urlencoded') {
      reply(res, 415, 'Expected a form post.');
      return;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY_BYTES) {
        reply(res, 413, 'Too large.');
        req.destroy();
      }
    });
    req.on('end', () => {
      if (res.headersSent) return;
      const form = new URLSearchParams(body);
      // Exactly one state, the one sent: anything else is not this sign-in's answer and must not end it.
      if (form.getAll('state').length !== 1 || form.get('state') !== options.state) {
        reply(res, 400, 'This is not the answer to the sign-in in progress.');
        return;
      }
      const parsed = authorizationResponseSchema.safeParse(Object.fromEntries(form));
      if (!parsed.success) {
        reply(
          res,
          400,
          `The identity provider's answer is not usable: ${parsed.error.issues[0]?.message ?? 'invalid'}.`,
        );
        return;
      }
      if (this.settled) {
        reply(res, 409, 'This sign-in has already ended.');
        return;
      }
      this.settled = true;
      res.on('finish', () => this.stop());
      reply(res, 200, parsed.data.error ? options.errorPage : options.successPage);
      this.settle.resolve(parsed.data);
    });
  }
}

function reply(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}
