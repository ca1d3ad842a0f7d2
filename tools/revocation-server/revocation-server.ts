import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { systemClock, type Clock } from '../../common/clock.js';
import { messageOf } from '../../common/errors.js';
import { writeFileAtomically } from '../../main/audit/atomic-file.js';
import { loopbackGuard } from '../../main/harness/loopback-guard.js';
import { REVOCATION_LIST_MEDIA_TYPE, type RevokedEntry } from '../../main/revocation/revocation-list-format.js';
import type { RevocationPublicKey } from '../../main/revocation/revocation-list-policy.js';
import { bearerTokenOf, HttpError, readJsonBody, sendJson } from '../demo-ehr/http-kit.js';
import { loadOrCreateSigningKey, signRevocationList } from './revocation-signer.js';

/**
 * The hospital side of the revocation list (docs/temporary-access.md#revocation-list), for the demo and tests: an
 * HTTPS server on 127.0.0.1 that serves the current signed list at /revocations.jws with an ETag (a 304 for a
 * workstation that has it), and an admin API, loopback-only and token-protected, that revokes or restores an
 * account and publishes the next list. The signing key is made in the data folder at the first start.
 */
export interface RevocationServer {
  /** The list's address: identity.revocationList.url. */
  url: string;
  origin: string;
  /** identity.revocationList.publicKeys[0]. */
  publicJwk: RevocationPublicKey;
  /** Whether the signing key was made at this start (print the public JWK for the policy). */
  keyCreated: boolean;
  /** Bearer token of the admin API (also in the data folder, readable by its owner only). */
  adminToken: string;
  revoked(): RevokedEntry[];
  /** Adds (or keeps) an account on the list and publishes the next list; resolves to its sequence. */
  revoke(userId: string, reason: string): Promise<number>;
  /** Takes an account off the list and publishes the next list. */
  restore(userId: string): Promise<number>;
  /** Signs and publishes the current accounts again, as of `issuedAt` (tests: a stale list). */
  publish(options?: { issuedAt?: Date; validMinutes?: number }): Promise<number>;
  /** Serves this body instead of the list (tests: a tampered list); publish() serves lists again. */
  serveRaw(body: string, contentType?: string): void;
  /** The list served now, and how many GETs were answered (304s among them). */
  served(): { sequence: number; jws: string; requests: number; notModified: number };
  close(): Promise<void>;
}

export interface RevocationServerOptions {
  tls: { certPem: string; keyPem: string };
  /** Where the signing key, the admin token and the published state are kept. */
  dataDir: string;
  /** issuedAt comes from this clock (the demo's manual clock in tests). */
  clock?: Clock;
  issuer?: string;
  /** How long each list is valid (expiresAt); the server signs a new one every `refreshMinutes`. */
  validMinutes?: number;
  refreshMinutes?: number;
  port?: number;
  log?: (message: string) => void;
}

const stateSchema = z.strictObject({
  sequence: z.number().int().min(0),
  revoked: z.array(z.strictObject({ userId: z.string(), reason: z.string(), revokedAt: z.string() })),
});

const revokeSchema = z.strictObject({ userId: z.string().min(1).max(200), reason: z.string().min(1).max(500) });
const restoreSchema = z.strictObject({ userId: z.string().min(1).max(200) });

export const LIST_PATH = '/revocations.jws';

export async function startRevocationServer(options: RevocationServerOptions): Promise<RevocationServer> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? (() => {});
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const key = await loadOrCreateSigningKey(options.dataDir);
  const adminToken = await loadOrCreateToken(path.join(options.dataDir, 'admin-token'));
  const stateFile = path.join(options.dataDir, 'state.json');
  let state = await readState(stateFile);
  let served = { body: '', etag: '', contentType: REVOCATION_LIST_MEDIA_TYPE, sequence: 0 };
  let requests = 0;
  let notModified = 0;
  const validMinutes = options.validMinutes ?? 24 * 60;
  let queue: Promise<unknown> = Promise.resolve();

  /** Signs the next list; one at a time, so sequences never repeat. */
  function publish(
    change?: (revoked: RevokedEntry[]) => RevokedEntry[],
    at?: { issuedAt?: Date; validMinutes?: number },
  ) {
    const run = queue.then(async () => {
      const issuedAt = at?.issuedAt ?? clock.wallTime();
      const revoked = change ? change(state.revoked) : state.revoked;
      const next = { sequence: state.sequence + 1, revoked };
      const jws = await signRevocationList(
        {
          iss: options.issuer ?? 'careshell-demo-revocations',
          sequence: next.sequence,
          issuedAt: issuedAt.toISOString(),
          expiresAt: new Date(issuedAt.getTime() + (at?.validMinutes ?? validMinutes) * 60_000).toISOString(),
          revoked,
        },
        key,
      );
      await writeFileAtomically(stateFile, JSON.stringify(next), { mode: 0o600 });
      state = next;
      served = { body: jws, etag: etagOf(jws), contentType: REVOCATION_LIST_MEDIA_TYPE, sequence: next.sequence };
      log(`revocation list ${next.sequence} published (${revoked.length} revoked)`);
      return next.sequence;
    });
    queue = run.catch(() => undefined);
    return run;
  }

  const revoke = (userId: string, reason: string) =>
    publish((revoked) => [
      ...revoked.filter((r) => r.userId !== userId),
      { userId, reason, revokedAt: clock.wallTime().toISOString() },
    ]);
  const restore = (userId: string) => publish((revoked) => revoked.filter((r) => r.userId !== userId));

  await publish();
  const refreshMs = (options.refreshMinutes ?? 15) * 60_000;
  let cancelRefresh = () => {};
  const armRefresh = () => {
    cancelRefresh = clock.setTimer(refreshMs, () => void publish().finally(armRefresh));
  };
  armRefresh();

  async function admin(req: IncomingMessage, res: ServerResponse, route: string): Promise<void> {
    // The Host and Origin rules of the harness controls, for the port this server listens on.
    const refusal = loopbackGuard(req.socket.localPort ?? 0).check(req.headers);
    const remote = req.socket.remoteAddress ?? '';
    if (refusal) throw new HttpError(refusal.status, refusal.reason);
    if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(remote))
      throw new HttpError(403, 'The admin API answers only on this machine.');
    const token = Buffer.from(bearerTokenOf(req) ?? '');
    const expected = Buffer.from(adminToken);
    if (token.length !== expected.length || !timingSafeEqual(token, expected))
      throw new HttpError(401, 'Send the admin token (in the data folder, admin-token) as a Bearer token.');
    if (req.method === 'GET' && route === 'list') return sendJson(res, 200, { ...state, publicJwk: key.publicJwk });
    if (req.method !== 'POST') throw new HttpError(405, 'Use POST.');
    if (route === 'revoke') {
      const { userId, reason } = parse(revokeSchema, await readJsonBody(req));
      return sendJson(res, 200, { ok: true, sequence: await revoke(userId, reason) });
    }
    if (route === 'restore') {
      const { userId } = parse(restoreSchema, await readJsonBody(req));
      return sendJson(res, 200, { ok: true, sequence: await restore(userId) });
    }
    throw new HttpError(404, 'Admin routes: GET /admin/list, POST /admin/revoke, POST /admin/restore.');
  }

  const server = createServer({ cert: options.tls.certPem, key: options.tls.keyPem }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const route = /^\/admin\/([a-z]+)$/.exec(url.pathname)?.[1];
    if (route !== undefined) {
      admin(req, res, route).catch((error: unknown) =>
        sendJson(res, error instanceof HttpError ? error.status : 500, { ok: false, message: messageOf(error) }),
      );
      return;
    }
    if (url.pathname !== LIST_PATH || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`The list is at ${LIST_PATH}.`);
      return;
    }
    requests += 1;
    const headers = { etag: served.etag, 'cache-control': 'no-cache' };
    if (req.headers['if-none-match'] === served.etag) {
      notModified += 1;
      res.writeHead(304, headers).end();
      return;
    }
    res
      .writeHead(200, { ...headers, 'content-type': served.contentType })
      .end(req.method === 'HEAD' ? '' : served.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `https://127.0.0.1:${port}`;
  return {
    url: `${origin}${LIST_PATH}`,
    origin,
    publicJwk: key.publicJwk,
    keyCreated: key.created,
    adminToken,
    revoked: () => [...state.revoked],
    revoke,
    restore,
    publish: (at) => publish(undefined, at),
    serveRaw(body, contentType = REVOCATION_LIST_MEDIA_TYPE) {
      served = { body, etag: etagOf(body), contentType, sequence: served.sequence };
    },
    served: () => ({ sequence: served.sequence, jws: served.body, requests, notModified }),
    async close() {
      cancelRefresh();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue;
    },
  };
}

const etagOf = (body: string) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, `Bad request: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}

async function readState(file: string): Promise<z.infer<typeof stateSchema>> {
  try {
    return stateSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { sequence: 0, revoked: [] };
    throw new Error(`${file} is not this server's state (${messageOf(error)}); move it away to start a new list.`);
  }
}

async function loadOrCreateToken(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const token = randomBytes(32).toString('base64url');
  await writeFile(file, token, { mode: 0o600, flag: 'wx' });
  return token;
}
