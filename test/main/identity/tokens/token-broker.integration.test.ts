import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INetworkModule, NetworkRequestOptions } from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditSink } from '../../../../main/audit/memory-audit-sink.js';
import { createAesGcmSealer } from '../../../../main/identity/crypto/sealer.js';
import { IdentityAudit } from '../../../../main/identity/identity-audit.js';
import { FileKeyValueStore } from '../../../../main/identity/storage/file-key-value-store.js';
import { MemoryKeyValueStore, type KeyValueStore } from '../../../../main/identity/storage/key-value-store.js';
import { HttpsNetworkClient } from '../../../../main/identity/tokens/https-network-client.js';
import { tokenCacheKey } from '../../../../main/identity/tokens/sealed-cache-plugin.js';
import {
  SIGN_IN_ABANDONED,
  SIGN_IN_WINDOW_CLOSED,
  TokenBroker,
  type SignInPage,
  type TokenBrokerConfig,
  type TokenBrokerDeps,
} from '../../../../main/identity/tokens/token-broker.js';
import { ManualClock } from '../../../../common/manual-clock.js';
import { PROVIDER_USERS } from '../../../../tools/local-idp/demo-users.js';
import { startLocalIdp, type LocalIdp } from '../../../../tools/local-idp/local-idp.js';
import { scriptedSignIn } from '../../../../tools/local-idp/scripted-sign-in.js';
import { countingRandom, isListening, redirectPortOf } from '../identity-fixtures.js';

/**
 * The real TokenBroker (msal-node) against the local provider, signing in without a browser
 * (tools/local-idp/scripted-sign-in.ts): what it writes at rest and when.
 */
describe('TokenBroker against the local provider', () => {
  let idp: LocalIdp;
  // Copies, so a test can change a role at the provider.
  const users = PROVIDER_USERS.map((u) => ({ ...u, roles: [...u.roles] }));
  beforeAll(async () => {
    idp = await startLocalIdp({ users });
  });
  afterAll(() => idp?.stop());

  /** An opener that shows nothing and never answers: a person who walked away from the sign-in page. */
  function abandoned() {
    let shown!: (value: { port: number; page: SignInPage }) => void;
    const opened = new Promise<{ port: number; page: SignInPage }>((resolve) => (shown = resolve));
    const openBrowser = async (url: string, page: SignInPage) => {
      shown({ port: redirectPortOf(url), page });
    };
    return { opened, openBrowser };
  }

  function broker(overrides: Partial<TokenBrokerDeps> = {}, config: Partial<TokenBrokerConfig> = {}) {
    const clock = new ManualClock();
    const store: KeyValueStore = overrides.store ?? new MemoryKeyValueStore();
    const audit = new IdentityAudit(new MemoryAuditSink(), clock, 'ws-test');
    const ana = idp.users.find((u) => u.username === 'ana.nurse')!;
    const tokens = new TokenBroker({
      config: { ...idp.msal, ...config },
      store,
      sealer: createAesGcmSealer(new Uint8Array(32).fill(9), countingRandom()),
      audit,
      clock,
      random: countingRandom(),
      openBrowser: scriptedSignIn({ username: ana.username, password: ana.password, caPem: idp.caPem }),
      networkClient: new HttpsNetworkClient({ extraCaPems: [idp.caPem] }),
      ...overrides,
    });
    return { tokens, store, clock, userId: ana.id };
  }

  it('writes nothing at rest for a full sign-in until its cache is saved; then silent tokens come from it', async () => {
    const { tokens, store, userId } = broker();
    const outcome = await tokens.signIn();
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.identity).toMatchObject({ userId, roles: ['nurse', 'clinical'] });
    expect(await store.list('')).toEqual([]);
    expect(await tokens.acquireSilent(userId)).toMatchObject({ ok: false, reason: 'interaction-required' });

    await outcome.cache.save();
    expect(await store.list('')).toEqual([tokenCacheKey(userId)]);
    expect(await tokens.acquireSilent(userId)).toMatchObject({ ok: true, identity: { userId } });
  });

  it('a step-up (forceLogin) sign-in returns no cache and writes nothing', async () => {
    const { tokens, store } = broker();
    const outcome = await tokens.signIn({ forceLogin: true });
    expect(outcome.ok).toBe(true);
    expect(outcome).not.toHaveProperty('cache');
    expect(await store.list('')).toEqual([]);
  });

  it('a sign-in page closed before the answer fails the sign-in at once and closes the loopback listener', async () => {
    const person = abandoned();
    const { tokens, store } = broker({ openBrowser: person.openBrowser });
    const signingIn = tokens.signIn();
    const { port, page } = await person.opened;
    expect(await isListening(port)).toBe(true);
    expect(page.ended.aborted).toBe(false);
    page.cancel();
    expect(await signingIn).toEqual({ ok: false, reason: 'failed', message: SIGN_IN_WINDOW_CLOSED });
    expect(page.ended.aborted).toBe(true);
    expect(await isListening(port)).toBe(false);
    expect(await store.list('')).toEqual([]);
  });

  it('a sign-in the workstation abandons (signal) ends at once: the page is told to close and the listener closes', async () => {
    const person = abandoned();
    const { tokens } = broker({ openBrowser: person.openBrowser });
    const workstation = new AbortController();
    const signingIn = tokens.signIn({ signal: workstation.signal });
    const { port, page } = await person.opened;
    workstation.abort();
    expect(await signingIn).toEqual({ ok: false, reason: 'failed', message: SIGN_IN_ABANDONED });
    expect(page.ended.aborted).toBe(true);
    expect(await isListening(port)).toBe(false);
    const already = new AbortController();
    already.abort();
    const opened: string[] = [];
    const { tokens: second } = broker({ openBrowser: async (url) => void opened.push(url) });
    expect(await second.signIn({ signal: already.signal })).toEqual({
      ok: false,
      reason: 'failed',
      message: SIGN_IN_ABANDONED,
    });
  });

  it('a sign-in nobody finishes times out on the injected clock (5 minutes by default) and closes the listener', async () => {
    const person = abandoned();
    const { tokens, clock } = broker({ openBrowser: person.openBrowser });
    let outcome: unknown;
    const signingIn = tokens.signIn().then((o) => (outcome = o));
    const { port } = await person.opened;
    clock.advance(5 * 60_000 - 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(outcome).toBeUndefined();
    expect(await isListening(port)).toBe(true);
    clock.advance(1);
    await signingIn;
    expect(outcome).toEqual({
      ok: false,
      reason: 'failed',
      message: 'Sign-in did not finish within 5 minutes; tap your badge to try again.',
    });
    expect(await isListening(port)).toBe(false);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('takes its timeout from the configuration, and a page that fails to open fails the sign-in', async () => {
    const person = abandoned();
    const { tokens, clock } = broker({ openBrowser: person.openBrowser }, { signInTimeoutMs: 30_000 });
    const signingIn = tokens.signIn();
    const { port } = await person.opened;
    clock.advance(30_000);
    expect(await signingIn).toMatchObject({
      ok: false,
      message: 'Sign-in did not finish within 30 seconds; tap your badge to try again.',
    });
    expect(await isListening(port)).toBe(false);

    let redirectPort = 0;
    const failing = broker({
      openBrowser: async (url) => {
        redirectPort = redirectPortOf(url);
        throw new Error('no display to open the sign-in page on');
      },
    });
    expect(await failing.tokens.signIn()).toEqual({
      ok: false,
      reason: 'failed',
      message: 'Sign-in failed: no display to open the sign-in page on',
    });
    expect(await isListening(redirectPort)).toBe(false);
    expect(failing.clock.pendingTimers()).toBe(0);
  });

  it("gets a refresh token only with consent to offline_access (prompt=consent), as the provider's default rule says", async () => {
    for (const consentForOfflineAccess of [true, false]) {
      const { tokens, userId } = broker({}, { consentForOfflineAccess });
      const outcome = await tokens.signIn();
      if (!outcome.ok) throw new Error(outcome.message);
      await outcome.cache.save();
      const refreshed = await tokens.acquireSilent(userId, { forceRefresh: true });
      if (consentForOfflineAccess)
        expect(refreshed).toMatchObject({ ok: true, identity: { userId, fromCache: false } });
      else expect(refreshed).toMatchObject({ ok: false, reason: 'interaction-required' });
    }
  });

  it('a refresh brings the roles the provider has now', async () => {
    const { tokens, userId } = broker();
    const outcome = await tokens.signIn();
    if (!outcome.ok) throw new Error(outcome.message);
    await outcome.cache.save();
    const ana = users.find((u) => u.id === userId)!;
    ana.roles = ['nurse'];
    try {
      expect(await tokens.acquireSilent(userId, { forceRefresh: true })).toMatchObject({
        ok: true,
        identity: { roles: ['nurse'] },
      });
    } finally {
      ana.roles = ['nurse', 'clinical'];
    }
  });

  describe('wipe', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'careshell-token-broker-'));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    /** Holds the next token-endpoint request until released: a refresh still at the provider. */
    function gatedNetwork() {
      const inner = new HttpsNetworkClient({ extraCaPems: [idp.caPem] });
      let hold: { reached(): void; release: Promise<void> } | undefined;
      const network: INetworkModule = {
        sendGetRequestAsync: (url, options, timeout) => inner.sendGetRequestAsync(url, options, timeout),
        async sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions) {
          const gate = new URL(url).pathname === '/token' ? hold : undefined;
          hold = undefined;
          if (gate) {
            gate.reached();
            await gate.release;
          }
          return inner.sendPostRequestAsync<T>(url, options);
        },
      };
      const holdNext = () => {
        let release!: () => void;
        let reached!: () => void;
        const atProvider = new Promise<void>((resolve) => (reached = resolve));
        hold = { reached, release: new Promise<void>((resolve) => (release = resolve)) };
        return { atProvider, release };
      };
      return { network, holdNext };
    }

    async function signedInWithFile(sub: string, networkClient?: INetworkModule) {
      const folder = join(dir, sub);
      const b = broker({ store: new FileKeyValueStore(folder), ...(networkClient ? { networkClient } : {}) });
      const outcome = await b.tokens.signIn();
      if (!outcome.ok) throw new Error(outcome.message);
      await outcome.cache.save();
      expect(await readdir(join(folder, 'token-cache'))).toHaveLength(1);
      return { ...b, cacheFile: join(folder, 'token-cache', (await readdir(join(folder, 'token-cache')))[0]!) };
    }

    it("deletes the user's cache file, and silent tokens then need a full sign-in", async () => {
      const { tokens, userId, cacheFile } = await signedInWithFile('plain');
      expect((await tokens.acquireSilent(userId)).ok).toBe(true);
      await tokens.wipe(userId);
      expect(existsSync(cacheFile)).toBe(false);
      expect(await tokens.acquireSilent(userId)).toMatchObject({ ok: false, reason: 'interaction-required' });
    });

    it('waits for a refresh still at the provider, so the refreshed cache is not written back after the wipe', async () => {
      const gated = gatedNetwork();
      const { tokens, userId, cacheFile } = await signedInWithFile('race', gated.network);
      const refresh = gated.holdNext();
      const silent = tokens.acquireSilent(userId, { forceRefresh: true });
      await refresh.atProvider;
      const wiping = tokens.wipe(userId);
      refresh.release();
      expect(await silent).toMatchObject({ ok: true, identity: { userId, fromCache: false } });
      await wiping;
      expect(existsSync(cacheFile)).toBe(false);
      expect(await tokens.acquireSilent(userId)).toMatchObject({ ok: false, reason: 'interaction-required' });
    });
  });
});
