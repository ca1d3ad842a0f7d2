import { describe, expect, it } from 'vitest';
import { AccessRevocations } from '../../../../main/identity/access-revocations.js';
import { createBadgeHasher } from '../../../../main/identity/badge-hasher.js';
import { UserDirectory } from '../../../../main/identity/directory/user-directory.js';
import { EnrollmentService } from '../../../../main/identity/enrollment/enrollment-service.js';
import { PinService } from '../../../../main/identity/pin/pin-service.js';
import { MemoryKeyValueStore } from '../../../../main/identity/storage/key-value-store.js';
import { auditEventSchema } from '../../../../main/audit/journal/stored-record-schema.js';
import { TEST_ARGON2, auditHarness, countingRandom } from '../identity-fixtures.js';
import { ScriptedTokenBroker } from '../scripted-token-broker.js';

const hash = createBadgeHasher(new Uint8Array(32).fill(4));

function setup() {
  const store = new MemoryKeyValueStore();
  const harness = auditHarness();
  const random = countingRandom();
  const directory = new UserDirectory(store, () => harness.clock.wallTime());
  const pins = new PinService({ store, clock: harness.clock, random, argon2: TEST_ARGON2 });
  const tokens = new ScriptedTokenBroker();
  const totpRemoved: string[] = [];
  const totp = { remove: async (userId: string) => void totpRemoved.push(userId) };
  const revocations = new AccessRevocations();
  const enrollment = new EnrollmentService({
    directory,
    pins,
    tokens,
    totp,
    revocations,
    audit: harness.audit,
    clock: harness.clock,
    random,
    pendingTtlMs: 60_000,
  });
  return { ...harness, directory, pins, tokens, enrollment, totpRemoved, revocations };
}

describe('EnrollmentService', () => {
  it('enrolls, re-enrolls with a new badge, and audits both', async () => {
    const { enrollment, tokens, directory, types } = setup();
    tokens.nextUser({ userId: 'u-ana', displayName: 'Ana', roles: ['nurse'] });
    const first = await enrollment.beginEnrollment(hash('b1'));
    await enrollment.completeEnrollment(first.id, '482913');
    tokens.nextUser({ userId: 'u-ana', displayName: 'Ana', roles: ['nurse'] });
    const second = await enrollment.beginEnrollment(hash('b2'));
    await enrollment.completeEnrollment(second.id, '482913');
    expect(await directory.resolveBadge(hash('b1'))).toBeUndefined();
    expect((await directory.resolveBadge(hash('b2')))?.userId).toBe('u-ana');
    expect(types()).toEqual(['enrollment.enrolled', 'enrollment.reenrolled']);
  });

  it('records actors the journal can read back (no sign-in name in the actor)', async () => {
    const { enrollment, tokens, sink } = setup();
    tokens.nextUser({ userId: 'u-ana', username: 'ana.nurse', displayName: 'Ana', roles: ['nurse'] });
    const p = await enrollment.beginEnrollment(hash('b1'));
    await enrollment.completeEnrollment(p.id, '482913');
    tokens.nextUser({ userId: 'u-ana', username: 'ana.nurse' });
    const reset = await enrollment.beginPinReset('u-ana');
    await enrollment.completePinReset(reset.id, '592817');
    for (const event of sink.events) expect(auditEventSchema.safeParse(event).error).toBeUndefined();
    expect(sink.events.map((e) => e.actor)).toEqual([
      { userId: 'u-ana', displayName: 'Ana', roles: ['nurse'], badgeHash: hash('b1') },
      { userId: 'u-ana', displayName: 'u-ana', roles: [] },
    ]);
  });

  it('refuses a badge enrolled for someone else before any sign-in', async () => {
    const { enrollment, tokens } = setup();
    tokens.nextUser({ userId: 'u-ana', displayName: 'Ana' });
    const p = await enrollment.beginEnrollment(hash('b1'));
    await enrollment.completeEnrollment(p.id, '482913');
    await expect(enrollment.beginEnrollment(hash('b1'))).rejects.toMatchObject({
      code: 'badge-bound-to-other-account',
      message: expect.stringContaining('Ana'),
    });
    expect(tokens.calls).toHaveLength(1);
  });

  it('refuses, with both names known, a badge enrolled for someone else while the PIN was being chosen; nothing is saved', async () => {
    const { enrollment, tokens, directory, pins, sink } = setup();
    tokens.nextUser({ userId: 'u-ben', displayName: 'Ben' });
    const ben = await enrollment.beginEnrollment(hash('b1'));
    // Meanwhile, at another workstation sharing the store, Ana enrolls the same badge first.
    tokens.nextUser({ userId: 'u-ana', displayName: 'Ana' });
    const ana = await enrollment.beginEnrollment(hash('b1'));
    await enrollment.completeEnrollment(ana.id, '482913');
    await expect(enrollment.completeEnrollment(ben.id, '592817')).rejects.toMatchObject({
      code: 'badge-bound-to-other-account',
      message: 'This badge is already enrolled for Ana; ask IT to unenroll it first.',
    });
    expect((await directory.resolveBadge(hash('b1')))?.userId).toBe('u-ana');
    expect(await pins.hasPin('u-ben')).toBe(false);
    expect(await directory.account('u-ben')).toBeUndefined();
    expect([...tokens.caches]).toEqual([['u-ana', 'sign-in 2']]);
    expect(sink.events.at(-1)).toMatchObject({ type: 'badge.rejected', actor: { userId: 'u-ben' } });
  });

  it("saves the sign-in's tokens only when the enrollment completes", async () => {
    const { enrollment, tokens } = setup();
    tokens.nextUser({ userId: 'u-ana' });
    const p = await enrollment.beginEnrollment(hash('b1'));
    expect(tokens.caches.size).toBe(0);
    await expect(enrollment.completeEnrollment(p.id, '0000')).rejects.toMatchObject({ code: 'pin-rejected' });
    expect(tokens.caches.size).toBe(0);
    await enrollment.completeEnrollment(p.id, '482913');
    expect([...tokens.caches]).toEqual([['u-ana', 'sign-in 1']]);
  });

  it('refuses a badge enrolled for someone else during the sign-in, and keeps no tokens of the refused person', async () => {
    const { enrollment, tokens, directory, sink } = setup();
    tokens.whileSigningIn(() =>
      directory.bind(hash('b1'), { userId: 'u-ana', displayName: 'Ana', roles: [] }).then(() => undefined),
    );
    tokens.nextUser({ userId: 'u-ben', displayName: 'Ben' });
    await expect(enrollment.beginEnrollment(hash('b1'))).rejects.toMatchObject({
      code: 'badge-bound-to-other-account',
      message: 'This badge is already enrolled for Ana; ask IT to unenroll it first.',
    });
    expect(tokens.caches.size).toBe(0);
    expect(sink.events.at(-1)).toMatchObject({ type: 'badge.rejected', actor: { userId: 'u-ben' } });
  });

  it("cancel drops a signed-in enrollment; the person's tokens were never saved", async () => {
    const { enrollment, tokens, directory } = setup();
    tokens.nextUser({ userId: 'u-ben' });
    const p = await enrollment.beginEnrollment(hash('b1'));
    await enrollment.cancel(p.id);
    await expect(enrollment.completeEnrollment(p.id, '482913')).rejects.toThrow(/expired or was already used/);
    expect(await directory.resolveBadge(hash('b1'))).toBeUndefined();
    await enrollment.cancel(p.id); // a second cancel (or an unknown id) changes nothing
    expect(tokens.caches.size).toBe(0);
  });

  it('cancel keeps the saved tokens of an enrolled clinician who abandoned enrolling a new badge', async () => {
    const { enrollment, tokens } = setup();
    tokens.nextUser({ userId: 'u-ana' });
    const first = await enrollment.beginEnrollment(hash('b1'));
    await enrollment.completeEnrollment(first.id, '482913');
    tokens.nextUser({ userId: 'u-ana' });
    const second = await enrollment.beginEnrollment(hash('b2'));
    await enrollment.cancel(second.id);
    expect(tokens.wiped).toEqual([]);
    expect(tokens.caches.get('u-ana')).toBe('sign-in 1');
  });

  it('keeps the enrollment pending after a refused PIN, and expires it with nothing saved', async () => {
    const { enrollment, tokens, clock } = setup();
    tokens.nextUser({ userId: 'u-ana' });
    const p = await enrollment.beginEnrollment(hash('b1'));
    await expect(enrollment.completeEnrollment(p.id, '0000')).rejects.toMatchObject({ code: 'pin-rejected' });
    clock.advance(61_000);
    await expect(enrollment.completeEnrollment(p.id, '482913')).rejects.toThrow(/expired/);
    expect(tokens.caches.size).toBe(0);
  });

  it('reports an unreachable provider as such, and audits the failed enrollment', async () => {
    const { enrollment, tokens, sink } = setup();
    tokens.next({
      ok: false,
      reason: 'unavailable',
      message: 'Sign-in failed: the identity provider cannot be reached.',
    });
    await expect(enrollment.beginEnrollment(hash('b1'))).rejects.toMatchObject({ code: 'sign-in-unavailable' });
    expect(sink.events[0]).toMatchObject({
      type: 'enrollment.enrolled',
      outcome: 'failure',
      actor: { badgeHash: hash('b1') },
    });
  });

  it('PIN reset needs a full sign-in as the same account and clears the lockout', async () => {
    const { enrollment, tokens, pins, types, clock } = setup();
    tokens.nextUser({ userId: 'u-ana', username: 'ana' });
    const p = await enrollment.beginEnrollment(hash('b1'));
    await enrollment.completeEnrollment(p.id, '482913');
    for (let i = 0; i < 5; i += 1) {
      await pins.verify('u-ana', '000000');
      clock.advance(60_000); // past each backoff
    }
    expect(await pins.verify('u-ana', '482913')).toEqual({ ok: false, reason: 'locked-out', newly: false });

    tokens.nextUser({ userId: 'u-ben', displayName: 'Ben' });
    await expect(enrollment.beginPinReset('u-ana')).rejects.toMatchObject({ code: 'account-mismatch' });
    expect([...tokens.caches]).toEqual([['u-ana', 'sign-in 1']]); // Ben's tokens are not kept
    tokens.nextUser({ userId: 'u-ana' });
    const reset = await enrollment.beginPinReset('u-ana');
    expect(tokens.calls.at(-1)).toEqual({ loginHint: 'ana' });
    expect(tokens.caches.get('u-ana')).toBe('sign-in 1');
    await enrollment.completePinReset(reset.id, '592817');
    expect(tokens.caches.get('u-ana')).toBe('sign-in 3');
    expect(await pins.verify('u-ana', '592817')).toEqual({ ok: true });
    expect(types().filter((t) => t === 'pin.reset')).toHaveLength(2);
  });

  it('refuses an account IT revoked, after its sign-in and before anything is saved, naming why', async () => {
    const { enrollment, tokens, directory, revocations, sink } = setup();
    revocations.replace([{ userId: 'u-ana', reason: 'left the hospital' }]);
    tokens.nextUser({ userId: 'u-ana', displayName: 'Ana' });
    await expect(enrollment.beginEnrollment(hash('b1'))).rejects.toMatchObject({
      code: 'access-revoked',
      message: 'IT has removed CareShell access for Ana (left the hospital). If this is wrong, call IT.',
    });
    expect(await directory.resolveBadge(hash('b1'))).toBeUndefined();
    expect(tokens.caches.size).toBe(0);
    expect(sink.events.at(-1)).toMatchObject({
      type: 'enrollment.enrolled',
      outcome: 'failure',
      reason: expect.stringMatching(/access revoked by machine policy/),
    });
    revocations.replace([]);
    tokens.nextUser({ userId: 'u-ana', displayName: 'Ana' });
    await expect(enrollment.beginEnrollment(hash('b1'))).resolves.toMatchObject({ user: { userId: 'u-ana' } });
  });

  it('admin unenrollment removes badge, PIN, tokens and authenticator app, and is audited with the admin as actor', async () => {
    const { enrollment, tokens, directory, pins, sink, totpRemoved } = setup();
    tokens.nextUser({ userId: 'u-ana' });
    const p = await enrollment.beginEnrollment(hash('b1'));
    await enrollment.completeEnrollment(p.id, '482913');
    expect(await enrollment.unenroll('u-ana', { userId: 'it-admin' }, 'badge reported lost')).toBe(true);
    expect(await directory.resolveBadge(hash('b1'))).toBeUndefined();
    expect(await pins.hasPin('u-ana')).toBe(false);
    expect(tokens.wiped).toEqual(['u-ana']);
    expect(totpRemoved).toEqual(['u-ana']);
    expect(sink.events.at(-1)).toMatchObject({
      type: 'enrollment.unenrolled',
      outcome: 'success',
      actor: { userId: 'it-admin' },
      details: { subjectUserId: 'u-ana' },
    });
  });
});
