import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { createBadgeHasher } from '../../../../main/identity/badge-hasher.js';
import { createAesGcmSealer } from '../../../../main/identity/crypto/sealer.js';
import { UserDirectory } from '../../../../main/identity/directory/user-directory.js';
import { DEFAULT_STEP_UP_POLICY, stepUpPolicySchema } from '../../../../main/identity/step-up/step-up-policy.js';
import { StepUpService } from '../../../../main/identity/step-up/step-up-service.js';
import { TotpAuthenticator } from '../../../../main/identity/step-up/totp-authenticator.js';
import { MemoryKeyValueStore } from '../../../../main/identity/storage/key-value-store.js';
import { auditHarness, countingRandom } from '../identity-fixtures.js';
import { ScriptedTokenBroker } from '../scripted-token-broker.js';

const hash = createBadgeHasher(new Uint8Array(32).fill(6));

async function setup(policy?: unknown) {
  const store = new MemoryKeyValueStore();
  const harness = auditHarness();
  const directory = new UserDirectory(store, () => harness.clock.wallTime());
  await directory.bind(hash('nurse'), {
    userId: 'u-ana',
    displayName: 'Ana',
    username: 'ana',
    roles: ['nurse', 'clinical'],
  });
  await directory.bind(hash('clerk'), { userId: 'u-cara', displayName: 'Cara', roles: ['billing-clerk'] });
  const totp = new TotpAuthenticator(
    store,
    createAesGcmSealer(new Uint8Array(32).fill(1), countingRandom()),
    harness.clock,
  );
  const tokens = new ScriptedTokenBroker();
  const stepUp = new StepUpService({
    tokens,
    totp,
    directory,
    clock: harness.clock,
    ...(policy ? { policy: stepUpPolicySchema.parse(policy) } : {}),
  });
  const codeAt = async (secret: string) =>
    generate({ secret, epoch: Math.floor(harness.clock.wallTime().getTime() / 1000) });
  /** An authenticator app set up and confirmed; the clock then moves past the confirming code's step. */
  const enroll = async (userId: string, label: string) => {
    const setup = await totp.beginEnrollment(userId, label);
    expect(await totp.confirmEnrollment(userId, await codeAt(setup.secret))).toBe(true);
    harness.clock.advance(30_000);
    return setup;
  };
  return { ...harness, directory, totp, tokens, stepUp, codeAt, enroll };
}

describe('StepUpService', () => {
  it('accepts a TOTP code once for break-glass by a clinical role, and refuses a replay', async () => {
    const { stepUp, codeAt, enroll } = await setup();
    expect(await stepUp.methodsFor('u-ana', 'break-glass')).toEqual(['idp']);
    const { secret, uri } = await enroll('u-ana', 'ana@careshell.test');
    expect(uri).toMatch(/^otpauth:\/\/totp\/CareShell:/);
    expect(await stepUp.methodsFor('u-ana', 'break-glass')).toEqual(['idp', 'totp']);
    const code = await codeAt(secret);
    expect(await stepUp.stepUp('u-ana', 'break-glass', { method: 'totp', code })).toMatchObject({
      ok: true,
      roles: ['nurse', 'clinical'],
    });
    expect(await stepUp.stepUp('u-ana', 'break-glass', { method: 'totp', code })).toMatchObject({
      ok: false,
      reason: 'wrong-code',
    });
  });

  it('a TOTP proof without an authenticator app set up is an outcome, not a throw', async () => {
    const { stepUp } = await setup();
    expect(await stepUp.stepUp('u-ana', 'break-glass', { method: 'totp', code: '123456' })).toMatchObject({
      ok: false,
      reason: 'unavailable',
      message: expect.stringMatching(/No authenticator app is set up/),
    });
  });

  it('machine policy can set one action and keeps the defaults of the others; authenticator setup takes only a provider sign-in', async () => {
    const { tokens, totp, directory, clock } = await setup();
    const policy = stepUpPolicySchema.parse({ actions: { export: { methods: ['totp'], maxAuthAgeMs: 60_000 } } });
    const stepUp = new StepUpService({ tokens, totp, directory, clock, policy });
    expect(await stepUp.stepUp('u-ana', 'export', { method: 'idp' })).toMatchObject({
      ok: false,
      reason: 'method-not-allowed',
    });
    expect(policy.actions['break-glass']).toEqual(DEFAULT_STEP_UP_POLICY.actions['break-glass']);
    expect(
      stepUpPolicySchema.safeParse({ actions: { 'authenticator-setup': { methods: ['totp'], maxAuthAgeMs: 60_000 } } })
        .success,
    ).toBe(false);
    expect(
      stepUpPolicySchema.safeParse({ actions: { exprot: { methods: ['idp'], maxAuthAgeMs: 60_000 } } }).success,
    ).toBe(false);
  });

  it('accepts a code from the previous step (clock drift) but not one from minutes ago', async () => {
    const { stepUp, codeAt, clock, enroll } = await setup();
    const { secret } = await enroll('u-ana', 'ana');
    const old = await codeAt(secret);
    clock.advance(30_000);
    expect((await stepUp.stepUp('u-ana', 'break-glass', { method: 'totp', code: old })).ok).toBe(true);
    const stale = await codeAt(secret);
    clock.advance(180_000);
    expect(await stepUp.stepUp('u-ana', 'break-glass', { method: 'totp', code: stale })).toMatchObject({
      ok: false,
      reason: 'wrong-code',
    });
  });

  it('refuses break-glass to a non-clinical role and a method the policy does not allow', async () => {
    const { stepUp, codeAt, enroll } = await setup();
    const { secret } = await enroll('u-cara', 'cara');
    expect(await stepUp.stepUp('u-cara', 'break-glass', { method: 'totp', code: await codeAt(secret) })).toMatchObject({
      ok: false,
      reason: 'role-not-allowed',
    });
    expect(await stepUp.stepUp('u-cara', 'export', { method: 'totp', code: '123456' })).toMatchObject({
      ok: false,
      reason: 'method-not-allowed',
    });
  });

  it('a PIN the PIN service accepted counts where policy lists pin, for the roles recorded at the last sign-in', async () => {
    const { stepUp } = await setup({
      actions: { 'break-glass': { methods: ['pin', 'idp'], allowedRoles: ['clinical'], maxAuthAgeMs: 60_000 } },
    });
    expect(await stepUp.methodsFor('u-ana', 'break-glass')).toEqual(['pin', 'idp']);
    expect(await stepUp.stepUp('u-ana', 'break-glass', { method: 'pin', pinAccepted: true })).toEqual({
      ok: true,
      method: 'pin',
      roles: ['nurse', 'clinical'],
    });
    expect(await stepUp.stepUp('u-cara', 'break-glass', { method: 'pin', pinAccepted: true })).toMatchObject({
      ok: false,
      reason: 'role-not-allowed',
    });
    // The defaults do not list it: a PIN proves nothing more than the unlock did unless policy says it does.
    expect(await stepUp.stepUp('u-ana', 'export', { method: 'pin', pinAccepted: true })).toMatchObject({
      ok: false,
      reason: 'method-not-allowed',
    });
  });

  it('a provider step-up forces a fresh login as the same user and checks auth_time', async () => {
    const { stepUp, tokens, clock } = await setup();
    const now = clock.wallTime().getTime();
    tokens.nextUser({ userId: 'u-ana', roles: ['clinical'] }, now - 1_000);
    expect(await stepUp.stepUp('u-ana', 'break-glass', { method: 'idp' })).toMatchObject({ ok: true, method: 'idp' });
    expect(tokens.calls[0]).toEqual({ forceLogin: true, loginHint: 'ana' });
    tokens.nextUser({ userId: 'u-ana', roles: ['clinical'] }, now - 3_600_000);
    expect(await stepUp.stepUp('u-ana', 'break-glass', { method: 'idp' })).toMatchObject({
      ok: false,
      reason: 'not-fresh',
    });
    tokens.nextUser({ userId: 'u-ben', roles: ['clinical'] }, now);
    expect(await stepUp.stepUp('u-ana', 'break-glass', { method: 'idp' })).toMatchObject({
      ok: false,
      reason: 'account-mismatch',
    });
  });

  it('a token without auth_time is a setup problem naming the Entra optional claim, never a silent "not fresh"', async () => {
    const { stepUp, tokens } = await setup();
    tokens.nextUser({ userId: 'u-ana', roles: ['clinical'], authTimeMs: undefined });
    const result = await stepUp.stepUp('u-ana', 'break-glass', { method: 'idp' });
    expect(result).toMatchObject({ ok: false, reason: 'misconfigured' });
    expect(result.ok || result.message).toMatch(/optional claim auth_time.*identity\.stepUp\.authenticationContext/);
  });

  it("with an authentication context: asks for it, and Entra's acrs proves the step-up without auth_time", async () => {
    const { stepUp, tokens, clock } = await setup({ authenticationContext: 'c1', actions: {} });
    tokens.nextUser({ userId: 'u-ana', roles: ['clinical'], authTimeMs: undefined, acrs: ['c1'] });
    expect(await stepUp.stepUp('u-ana', 'break-glass', { method: 'idp' })).toMatchObject({ ok: true });
    expect(tokens.calls[0]).toEqual({ forceLogin: true, authenticationContext: 'c1', loginHint: 'ana' });

    // Another context satisfied is not this one; an old auth_time still counts against it.
    tokens.nextUser({ userId: 'u-ana', roles: ['clinical'], authTimeMs: undefined, acrs: ['c2'] });
    expect(await stepUp.stepUp('u-ana', 'break-glass', { method: 'idp' })).toMatchObject({
      ok: false,
      reason: 'not-fresh',
    });
    tokens.nextUser({ userId: 'u-ana', roles: ['clinical'], acrs: ['c1'] }, clock.wallTime().getTime() - 3_600_000);
    expect(await stepUp.stepUp('u-ana', 'break-glass', { method: 'idp' })).toMatchObject({
      ok: false,
      reason: 'not-fresh',
    });

    tokens.nextUser({ userId: 'u-ana', roles: ['clinical'] });
    const none = await stepUp.stepUp('u-ana', 'break-glass', { method: 'idp' });
    expect(none).toMatchObject({ ok: false, reason: 'misconfigured' });
    expect(none.ok || none.message).toMatch(/no acrs claim.*authentication context c1/);
  });

  it('refuses an authentication context that Entra would not accept', () => {
    expect(stepUpPolicySchema.safeParse({ authenticationContext: 'c100', actions: {} }).success).toBe(false);
    expect(stepUpPolicySchema.safeParse({ authenticationContext: 'mfa', actions: {} }).success).toBe(false);
    expect(stepUpPolicySchema.parse({ authenticationContext: 'c25', actions: {} }).authenticationContext).toBe('c25');
  });
});
