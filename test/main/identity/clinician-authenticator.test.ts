import { describe, expect, it } from 'vitest';
import { AccessRevocations } from '../../../main/identity/access-revocations.js';
import { createBadgeHasher } from '../../../main/identity/badge-hasher.js';
import { ClinicianAuthenticator } from '../../../main/identity/clinician-authenticator.js';
import { UserDirectory } from '../../../main/identity/directory/user-directory.js';
import { PinService } from '../../../main/identity/pin/pin-service.js';
import { MemoryKeyValueStore } from '../../../main/identity/storage/key-value-store.js';
import { TEST_ARGON2, auditHarness, countingRandom } from './identity-fixtures.js';
import { ScriptedTokenBroker, signedIn } from './scripted-token-broker.js';

const hash = createBadgeHasher(new Uint8Array(32).fill(6));

async function setup() {
  const store = new MemoryKeyValueStore();
  const harness = auditHarness();
  const directory = new UserDirectory(store, () => harness.clock.wallTime());
  const pins = new PinService({ store, clock: harness.clock, random: countingRandom(), argon2: TEST_ARGON2 });
  const tokens = new ScriptedTokenBroker();
  // Ana and Ben are enrolled here, each with their own saved sign-in.
  await directory.bind(hash('ana'), {
    userId: 'u-ana',
    displayName: 'Ana',
    username: 'ana',
    roles: ['nurse', 'clinical'],
  });
  await directory.bind(hash('ben'), { userId: 'u-ben', displayName: 'Ben', username: 'ben', roles: ['er-physician'] });
  tokens.caches.set('u-ana', 'enrolled').set('u-ben', 'enrolled');
  const revocations = new AccessRevocations();
  return {
    directory,
    pins,
    tokens,
    revocations,
    authenticator: new ClinicianAuthenticator(tokens, pins, directory, revocations),
  };
}

describe('ClinicianAuthenticator', () => {
  it("refuses someone else signing in for a session, and leaves their own saved sign-in and the session owner's alone", async () => {
    const { authenticator, tokens } = await setup();
    tokens.nextUser({ userId: 'u-ben', displayName: 'Ben' });
    const outcome = await authenticator.fullSignIn('u-ana');
    expect(outcome).toEqual({
      ok: false,
      reason: 'failed',
      message: 'You signed in as Ben, but this session belongs to Ana. Tap your own badge.',
    });
    expect(tokens.calls).toEqual([{ loginHint: 'ana' }]);
    expect([...tokens.caches]).toEqual([
      ['u-ana', 'enrolled'],
      ['u-ben', 'enrolled'],
    ]);
    expect(tokens.wiped).toEqual([]);
  });

  it('refuses a revoked account after its sign-in, saving nothing', async () => {
    const { authenticator, tokens, revocations } = await setup();
    revocations.replace([{ userId: 'u-ana', reason: 'badge reported stolen' }]);
    tokens.nextUser({ userId: 'u-ana', displayName: 'Ana' });
    expect(await authenticator.fullSignIn('u-ana')).toEqual({
      ok: false,
      reason: 'failed',
      message: 'IT has removed CareShell access for Ana (badge reported stolen). If this is wrong, call IT.',
    });
    expect(tokens.caches.get('u-ana')).toBe('enrolled');
  });

  it('saves the tokens of the expected user', async () => {
    const { authenticator, tokens } = await setup();
    tokens.nextUser({ userId: 'u-ana', displayName: 'Ana', roles: ['nurse', 'clinical'] });
    expect(await authenticator.fullSignIn('u-ana')).toMatchObject({ ok: true, identity: { userId: 'u-ana' } });
    expect(tokens.caches.get('u-ana')).toBe('sign-in 1');
  });

  it('with no user expected (sign-in without a badge), lets in only someone enrolled here and saves only their tokens', async () => {
    const { authenticator, tokens } = await setup();
    tokens.nextUser({ userId: 'u-ben', displayName: 'Ben', roles: ['er-physician'] });
    expect((await authenticator.fullSignIn()).ok).toBe(true);
    expect(tokens.caches.get('u-ben')).toBe('sign-in 1');

    tokens.nextUser({ userId: 'u-stranger', displayName: 'Stranger' });
    expect(await authenticator.fullSignIn()).toEqual({
      ok: false,
      reason: 'failed',
      message: 'Stranger is not enrolled on CareShell here: tap your badge to enroll it.',
    });
    expect(tokens.caches.has('u-stranger')).toBe(false);
  });

  it('takes the roles of a silent answer, so a role removed at the provider is gone at the next unlock', async () => {
    const { authenticator, tokens, directory } = await setup();
    tokens.nextSilent({
      ok: true,
      identity: signedIn({ userId: 'u-ana', displayName: 'Ana Lopez', roles: ['nurse'] }),
    });
    expect(await authenticator.tokensForUnlock('u-ana')).toMatchObject({ ok: true });
    expect(await directory.resolveBadge(hash('ana'))).toEqual({
      userId: 'u-ana',
      displayName: 'Ana Lopez',
      roles: ['nurse'],
    });

    // A refused silent request changes nothing.
    tokens.nextSilent({ ok: false, reason: 'unavailable', message: 'down' });
    expect((await authenticator.tokensForUnlock('u-ana')).ok).toBe(false);
    expect((await directory.resolveBadge(hash('ana')))?.roles).toEqual(['nurse']);
  });
});
