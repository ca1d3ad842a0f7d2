import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../common/clock.js';
import { AccessRevocations } from '../../../main/identity/access-revocations.js';
import { httpsRevocationFetch, RevocationFetchError } from '../../../main/revocation/revocation-list-fetch.js';
import { followRevocationList } from '../../../main/revocation/revocation-list-follower.js';
import { revocationListPolicySchema } from '../../../main/revocation/revocation-list-policy.js';
import { memoryRevocationListStore } from '../../../main/revocation/revocation-list-store.js';
import { systemRandom } from '../../../common/random.js';
import { createTestCa, type TestCa } from '../../../tools/local-idp/test-ca.js';
import { startRevocationServer, type RevocationServer } from '../../../tools/revocation-server/revocation-server.js';

/** The list fetched over real HTTPS on 127.0.0.1 from the demo's publisher, and from servers that misbehave. */
describe('the revocation list over HTTPS (tools/revocation-server)', () => {
  let ca: TestCa;
  let dataDir: string;
  let server: RevocationServer;
  let rogue: Server;
  let rogueOrigin: string;
  const tls = () => ca.issueServerCert({ dns: ['localhost'], ips: ['127.0.0.1'] });

  beforeAll(async () => {
    ca = createTestCa('revocation test CA');
    dataDir = await mkdtemp(path.join(tmpdir(), 'careshell-revocation-'));
    server = await startRevocationServer({ tls: tls(), dataDir });
    // Answers by path, as a misconfigured or hostile server would.
    const rogueTls = tls();
    rogue = createServer({ cert: rogueTls.certPem, key: rogueTls.keyPem }, (req, res) => {
      const list = server.served().jws;
      switch (req.url) {
        case '/500':
          return res.writeHead(500).end('down');
        case '/html':
          return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
        case '/huge-declared':
          return res.writeHead(200, { 'content-type': 'application/jose', 'content-length': 2_000_000 }).end();
        case '/huge-chunked':
          res.writeHead(200, { 'content-type': 'application/jose' });
          for (let i = 0; i < 20; i += 1) res.write('A'.repeat(100_000));
          return res.end();
        case '/away':
          return res.writeHead(302, { location: `${server.url}` }).end();
        case '/moved':
          return res.writeHead(301, { location: '/list' }).end();
        case '/list':
          return res.writeHead(200, { 'content-type': 'application/jose; charset=us-ascii' }).end(list);
        default:
          return res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => rogue.listen(0, '127.0.0.1', () => resolve()));
    rogueOrigin = `https://127.0.0.1:${(rogue.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await server.close();
    rogue.closeAllConnections();
    await new Promise((resolve) => rogue.close(resolve));
    await rm(dataDir, { recursive: true, force: true });
  });

  const fetcher = (url: string, caPem: string | undefined = ca.caPem) =>
    httpsRevocationFetch({ url, clock: systemClock, ...(caPem ? { extraCaPems: [caPem] } : {}) });
  const refusal = async (url: string, caPem?: string) => {
    const fetchList = fetcher(url, caPem);
    try {
      await fetchList(undefined);
      return 'fetched';
    } catch (error) {
      return error instanceof RevocationFetchError ? error.code : String(error);
    } finally {
      fetchList.close();
    }
  };

  it('serves the signed list with an ETag, and a 304 to a workstation that has it', async () => {
    const fetchList = fetcher(server.url);
    const first = await fetchList(undefined);
    expect(first).toMatchObject({ kind: 'list', body: server.served().jws, etag: expect.stringMatching(/^".+"$/) });
    const again = await fetchList(first.kind === 'list' ? first.etag : undefined);
    expect(again).toEqual({ kind: 'not-modified' });
    expect(server.served().notModified).toBeGreaterThanOrEqual(1);
    fetchList.close();
  });

  it('refuses TLS to a server its CAs do not vouch for, any status but 200/304, another media type, an oversized body and a redirect off the origin', async () => {
    expect(await refusal(server.url, createTestCa('another CA').caPem)).toBe('tls');
    expect(await refusal(`${rogueOrigin}/500`)).toBe('http-status');
    expect(await refusal(`${rogueOrigin}/html`)).toBe('content-type');
    expect(await refusal(`${rogueOrigin}/huge-declared`)).toBe('too-large');
    expect(await refusal(`${rogueOrigin}/huge-chunked`)).toBe('too-large');
    expect(await refusal(`${rogueOrigin}/away`)).toBe('redirect');
    expect(await refusal('https://127.0.0.1:1/revocations.jws')).toBe('unreachable');
    // Within its origin a redirect is followed.
    expect(await refusal(`${rogueOrigin}/moved`)).toBe('fetched');
  });

  it('a revocation published on the server is applied by a workstation at its next poll', async () => {
    const revocations = new AccessRevocations();
    const revoked: string[] = [];
    const fetchList = fetcher(server.url);
    const follower = followRevocationList({
      policy: revocationListPolicySchema.parse({ url: server.url, publicKeys: [server.publicJwk] }),
      fetchList,
      store: memoryRevocationListStore(),
      revocations,
      revoke: async (userId) => (revoked.push(userId), { unenrolled: false }),
      audit: { append: async () => {} },
      clock: systemClock,
      random: systemRandom,
      workstation: 'WS-1',
      log: { info: () => {}, warn: () => {} },
    });
    await follower.pollNow();
    const sequence = await server.revoke('u-left', 'left the hospital');
    await follower.pollNow();
    expect(follower.status()).toMatchObject({ sequence, revokedCount: 1 });
    expect(revoked).toEqual(['u-left']);
    expect(revocations.reasonFor('u-left')).toBe('left the hospital');
    await server.restore('u-left');
    await follower.pollNow();
    expect(revocations.reasonFor('u-left')).toBeUndefined();
    follower.stop();
    fetchList.close();
  });

  it('the admin API needs the token and refuses pages of other origins', async () => {
    const { Agent, request } = await import('node:https');
    const agent = new Agent({ ca: ca.caPem });
    const call = (route: string, headers: Record<string, string>, body?: unknown) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${server.origin}${route}`, {
          method: body === undefined ? 'GET' : 'POST',
          agent,
          // A forged Host names another server: the certificate check would stop it before the server does.
          checkServerIdentity: () => undefined,
          headers: { 'content-type': 'application/json', ...headers },
        });
        req.on('response', (res) => (res.resume(), resolve(res.statusCode ?? 0)));
        req.on('error', reject);
        req.end(body === undefined ? undefined : JSON.stringify(body));
      });
    const auth = { authorization: `Bearer ${server.adminToken}` };
    expect(await call('/admin/revoke', {}, { userId: 'u-x', reason: 'r' })).toBe(401);
    expect(await call('/admin/revoke', { authorization: 'Bearer wrong' }, { userId: 'u-x', reason: 'r' })).toBe(401);
    expect(await call('/admin/revoke', { ...auth, origin: 'https://evil.test' }, { userId: 'u-x', reason: 'r' })).toBe(
      403,
    );
    expect(await call('/admin/revoke', { ...auth, host: 'evil.test' }, { userId: 'u-x', reason: 'r' })).toBe(421);
    const before = server.served().sequence;
    expect(await call('/admin/revoke', auth, { userId: 'u-x', reason: 'badge stolen' })).toBe(200);
    expect(server.served().sequence).toBe(before + 1);
    expect(server.revoked().map((r) => r.userId)).toContain('u-x');
    expect(await call('/admin/list', auth)).toBe(200);
    agent.destroy();
  });

  it('keeps its key and sequence across a restart', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'careshell-revocation-restart-'));
    const first = await startRevocationServer({ tls: tls(), dataDir: dir });
    await first.revoke('u-1', 'r');
    const { sequence } = first.served();
    await first.close();
    const second = await startRevocationServer({ tls: tls(), dataDir: dir });
    expect(second.keyCreated).toBe(false);
    expect(second.publicJwk).toEqual(first.publicJwk);
    expect(second.served().sequence).toBe(sequence + 1);
    expect(second.revoked().map((r) => r.userId)).toEqual(['u-1']);
    await second.close();
    await rm(dir, { recursive: true, force: true });
  });
});
