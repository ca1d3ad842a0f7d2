import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../common/manual-clock.js';
import { MemoryAuditSink } from '../../../../main/audit/memory-audit-sink.js';
import { createBadgeHasher } from '../../../../main/identity/badge-hasher.js';
import { createAesGcmSealer } from '../../../../main/identity/crypto/sealer.js';
import { UserDirectory } from '../../../../main/identity/directory/user-directory.js';
import { IdentityAudit } from '../../../../main/identity/identity-audit.js';
import { stepUpPolicySchema } from '../../../../main/identity/step-up/step-up-policy.js';
import { StepUpService } from '../../../../main/identity/step-up/step-up-service.js';
import { TotpAuthenticator } from '../../../../main/identity/step-up/totp-authenticator.js';
import { MemoryKeyValueStore } from '../../../../main/identity/storage/key-value-store.js';
import { HttpsNetworkClient } from '../../../../main/identity/tokens/https-network-client.js';
import type { GroupRoles } from '../../../../main/identity/tokens/identity-claims.js';
import { TokenBroker } from '../../../../main/identity/tokens/token-broker.js';
import { groupIdOf, startLocalIdp, type LocalIdp } from '../../../../tools/local-idp/local-idp.js';
import { scriptedSignIn } from '../../../../tools/local-idp/scripted-sign-in.js';
import { countingRandom } from '../identity-fixtures.js';

/**
 * Step-up against the local provider set up as IT usually registers CareShell in Entra: in 'oidc' mode
 * (auth_time and app roles) and in 'entra-default' mode (no auth_time, groups instead of roles, acrs only when
 * an authentication context is asked for). Real msal-node, signing in without a browser.
 */
const BEN = { id: 'u-er-ben', username: 'ben.er', password: 'demo-er' };

async function stepUpAgainst(idp: LocalIdp, options: { policy?: unknown; groupRoles?: GroupRoles } = {}) {
  // The provider stamps auth_time with the real time; the step-up compares it with this clock's wall time.
  const clock = new ManualClock(new Date());
  const store = new MemoryKeyValueStore();
  const directory = new UserDirectory(store, () => clock.wallTime());
  await directory.bind(createBadgeHasher(new Uint8Array(32).fill(3))('ben'), {
    userId: BEN.id,
    displayName: 'Dr Ben Okafor',
    username: BEN.username,
    roles: [],
  });
  const urls: string[] = [];
  const signIn = scriptedSignIn({ username: BEN.username, password: BEN.password, caPem: idp.caPem });
  const tokens = new TokenBroker({
    config: { ...idp.msal, ...(options.groupRoles ? { groupRoles: options.groupRoles } : {}) },
    store,
    sealer: createAesGcmSealer(new Uint8Array(32).fill(9), countingRandom()),
    audit: new IdentityAudit(new MemoryAuditSink(), clock, 'ws-test'),
    clock,
    random: countingRandom(),
    openBrowser: (url) => {
      urls.push(url);
      return signIn(url);
    },
    networkClient: new HttpsNetworkClient({ extraCaPems: [idp.caPem] }),
  });
  const totp = new TotpAuthenticator(store, createAesGcmSealer(new Uint8Array(32).fill(1), countingRandom()), clock);
  const service = new StepUpService({
    tokens,
    totp,
    directory,
    clock,
    ...(options.policy ? { policy: stepUpPolicySchema.parse(options.policy) } : {}),
  });
  return { service, urls };
}

describe('identity-provider step-up, as IT registers the provider', () => {
  let oidc: LocalIdp;
  let entra: LocalIdp;
  beforeAll(async () => {
    [oidc, entra] = await Promise.all([startLocalIdp(), startLocalIdp({ mode: 'entra-default' })]);
  });
  afterAll(async () => {
    await Promise.all([oidc?.stop(), entra?.stop()]);
  });

  it('with auth_time and app roles (the optional claim configured): a fresh sign-in passes', async () => {
    const { service } = await stepUpAgainst(oidc);
    expect(await service.stepUp(BEN.id, 'break-glass', { method: 'idp' })).toMatchObject({
      ok: true,
      roles: expect.arrayContaining(['clinical']),
    });
  });

  it('a default Entra registration (no auth_time, no context): a plain error naming the missing setting', async () => {
    const { service, urls } = await stepUpAgainst(entra, { groupRoles: { [groupIdOf('clinical')]: ['clinical'] } });
    const result = await service.stepUp(BEN.id, 'break-glass', { method: 'idp' });
    expect(result).toMatchObject({ ok: false, reason: 'misconfigured' });
    expect(result.ok || result.message).toMatch(/no auth_time claim.*optional claim auth_time/);
    expect(new URL(urls[0]!).searchParams.get('claims') ?? '').not.toContain('acrs');
  });

  it("Entra's own step-up: the authorize request carries the acrs claims request, the token's acrs passes it", async () => {
    const { service, urls } = await stepUpAgainst(entra, {
      policy: { authenticationContext: 'c1', actions: {} },
      groupRoles: { [groupIdOf('clinical')]: ['clinical'], [groupIdOf('physician')]: ['physician'] },
    });
    const result = await service.stepUp(BEN.id, 'break-glass', { method: 'idp' });
    expect(result).toMatchObject({ ok: true, method: 'idp' });
    expect(result.ok && [...result.roles].sort()).toEqual(['clinical', 'physician']);
    const url = new URL(urls[0]!);
    // msal-node adds claims of its own, none essential.
    expect(JSON.parse(url.searchParams.get('claims')!)).toMatchObject({
      id_token: { acrs: { essential: true, value: 'c1' } },
    });
    expect(url.searchParams.get('prompt')).toBe('login');
  });

  it('roles come from groups only through policy: without a mapping, break-glass is refused for want of a role', async () => {
    const { service } = await stepUpAgainst(entra, { policy: { authenticationContext: 'c1', actions: {} } });
    expect(await service.stepUp(BEN.id, 'break-glass', { method: 'idp' })).toMatchObject({
      ok: false,
      reason: 'role-not-allowed',
    });
  });
});
