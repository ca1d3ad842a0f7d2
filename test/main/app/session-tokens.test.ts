import { describe, expect, it } from 'vitest';
import { followSessionTokens, type SessionTokens } from '../../../main/app/session-tokens.js';
import type { TokenOutcome } from '../../../main/identity/tokens/token-broker.js';
import { flush, makeRig, USERS } from '../session/session-test-kit.js';
import { noticeEnglish } from '../../support/notice-text.js';

const SEC = 1000;
const MIN = 60 * SEC;

/** The identity layer's token calls, scripted: each silent request answers with `answer`. */
class FakeTokens implements SessionTokens {
  readonly asked: string[] = [];
  readonly ended: string[] = [];
  answer: () => Promise<TokenOutcome> = async () => ({ ok: false, reason: 'failed', message: 'not scripted' });
  tokensForUnlock(userId: string): Promise<TokenOutcome> {
    this.asked.push(userId);
    return this.answer();
  }
  async endSession(userId: string): Promise<void> {
    this.ended.push(userId);
  }
}

const signedIn = (userId: string): TokenOutcome => ({
  ok: true,
  identity: {
    userId,
    displayName: userId,
    username: userId,
    roles: [],
    authTimeMs: 0,
    homeAccountId: userId,
    accessToken: 'at',
    expiresOn: null,
    fromCache: true,
  },
});

function setup(policy = {}) {
  const rig = makeRig({ policy });
  const tokens = new FakeTokens();
  const warnings: string[] = [];
  followSessionTokens(rig.service, tokens, { warn: (m) => warnings.push(m) });
  return { rig, tokens, warnings };
}

describe('tokens follow the session', () => {
  it('fetches the user’s tokens when a session is shown, without holding up the unlock', async () => {
    const { rig, tokens } = setup();
    tokens.answer = () => new Promise(() => {}); // a provider that never answers
    await rig.tap('alice');
    expect(rig.screen()).toBe('active');
    expect(tokens.asked).toEqual([USERS.alice.userId]);
  });

  it('a refresh token the provider no longer accepts asks that user for a full sign-in, on screen', async () => {
    const { rig, tokens } = setup();
    tokens.answer = async () => ({
      ok: false,
      reason: 'interaction-required',
      message: 'Silent sign-in needs a full sign-in: invalid_grant',
    });
    await rig.tap('alice');
    await flush();
    expect(rig.auth.requests).toEqual([
      { reason: expect.stringContaining('invalid_grant'), expectedUserId: USERS.alice.userId },
    ]);
    expect(rig.screen()).toBe('active');
  });

  it('a refresh token the provider refuses (invalid_grant) ends the session at the next resume, with a notice', async () => {
    const { rig, tokens } = setup();
    tokens.answer = async () => signedIn(USERS.alice.userId);
    await rig.tap('alice');
    await rig.service.handle({ type: 'lock-now' });
    // Revoked at the provider while the screen was locked: the resume is what finds out.
    tokens.answer = async () => ({
      ok: false,
      reason: 'interaction-required',
      message: 'Silent sign-in needs a full sign-in: invalid_grant (grant request is invalid)',
      grantRefused: true,
    });
    await rig.tap('alice');
    await flush();
    expect(rig.screen()).toBe('no-user');
    expect(rig.auth.requests).toEqual([]);
    expect(tokens.ended).toEqual([USERS.alice.userId]);
    expect(noticeEnglish(rig.service.view().notice)).toMatch(/no longer accepts your sign-in.*session has ended/);
    expect(rig.audit.events.filter((e) => e.type === 'session.terminated').at(-1)).toMatchObject({
      actor: { userId: USERS.alice.userId },
      reason: expect.stringContaining('identity provider refused the sign-in'),
    });
    // The next badge tap asks for the password: badge + PIN alone no longer open a session for this user.
    await rig.tap('alice');
    expect(rig.auth.requests).toEqual([expect.objectContaining({ expectedUserId: USERS.alice.userId })]);
  });

  it('a provider that cannot be reached changes nothing: resume inside grace still works with the badge', async () => {
    const { rig, tokens, warnings } = setup();
    tokens.answer = async () => ({
      ok: false,
      reason: 'unavailable',
      message: 'the identity provider cannot be reached',
    });
    await rig.tap('alice');
    await rig.service.handle({ type: 'lock-now' });
    await rig.tap('alice');
    await flush();
    expect(rig.screen()).toBe('active');
    expect(rig.auth.requests).toEqual([]);
    expect(tokens.asked).toEqual([USERS.alice.userId, USERS.alice.userId]);
    expect(warnings.at(-1)).toMatch(/cannot be reached/);
  });

  it('wipes the token cache when grace expires, and not on a mere lock', async () => {
    const { rig, tokens } = setup({ graceMinutes: 5 });
    tokens.answer = async () => signedIn(USERS.alice.userId);
    await rig.tap('alice');
    await rig.service.handle({ type: 'lock-now' });
    await rig.advance(5 * MIN - 1);
    expect(tokens.ended).toEqual([]);
    await rig.advance(1);
    expect(tokens.ended).toEqual([USERS.alice.userId]);
  });

  it('wipes it on a tap-out that signs out, on admin revoke, and at the end of the absolute lifetime', async () => {
    const signOut = setup({ tapOut: { sameUser: 'sign-out', ignoreWithinSeconds: 0 } });
    signOut.tokens.answer = async () => signedIn(USERS.alice.userId);
    await signOut.rig.tap('alice');
    await signOut.rig.tap('alice');
    expect(signOut.tokens.ended).toEqual([USERS.alice.userId]);

    const revoke = setup();
    revoke.tokens.answer = async () => signedIn(USERS.bob.userId);
    await revoke.rig.tap('bob');
    await revoke.rig.service.handle({ type: 'admin-revoke', userId: USERS.bob.userId, reason: 'badge stolen' });
    expect(revoke.tokens.ended).toEqual([USERS.bob.userId]);

    const lifetime = setup({ absoluteLifetimeHours: 1, graceMinutes: 120 });
    lifetime.tokens.answer = async () => signedIn(USERS.carol.userId);
    await lifetime.rig.tap('carol');
    await lifetime.rig.service.handle({ type: 'lock-now' });
    await lifetime.rig.advance(60 * MIN);
    expect(lifetime.tokens.ended).toEqual([USERS.carol.userId]);
  });
});
