import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditSink } from '../../../../main/audit/memory-audit-sink.js';
import { createAesGcmSealer } from '../../../../main/identity/crypto/sealer.js';
import { IdentityAudit } from '../../../../main/identity/identity-audit.js';
import { MemoryKeyValueStore } from '../../../../main/identity/storage/key-value-store.js';
import { HttpsNetworkClient } from '../../../../main/identity/tokens/https-network-client.js';
import { tokenCacheKey } from '../../../../main/identity/tokens/sealed-cache-plugin.js';
import { TokenBroker, type TokenBrokerDeps } from '../../../../main/identity/tokens/token-broker.js';
import { ManualClock } from '../../../../common/manual-clock.js';
import { startLocalIdp, type LocalIdp } from '../../../../tools/local-idp/local-idp.js';
import { scriptedSignIn } from '../../../../tools/local-idp/scripted-sign-in.js';
import { countingRandom } from '../identity-fixtures.js';

/**
 * The real TokenBroker (msal-node) against the local provider, signing in without a browser
 * (tools/local-idp/scripted-sign-in.ts): what it writes at rest and when.
 */
describe('TokenBroker against the local provider', () => {
  let idp: LocalIdp;
  beforeAll(async () => {
    idp = await startLocalIdp();
  });
  afterAll(() => idp?.stop());

  function broker(overrides: Partial<TokenBrokerDeps> = {}) {
    const clock = new ManualClock();
    const store = new MemoryKeyValueStore();
    const audit = new IdentityAudit(new MemoryAuditSink(), clock, 'ws-test');
    const ana = idp.users.find((u) => u.username === 'ana.nurse')!;
    const tokens = new TokenBroker({
      config: {
        clientId: idp.clientId,
        authority: idp.issuer,
        knownAuthorities: [idp.authorityHost],
        protocolMode: 'OIDC',
        scopes: [],
        rolesClaim: 'roles',
        consentForOfflineAccess: true,
      },
      store,
      sealer: createAesGcmSealer(new Uint8Array(32).fill(9), countingRandom()),
      audit,
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
});
