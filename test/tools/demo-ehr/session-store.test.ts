import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/manual-clock.js';
import { systemRandom } from '../../../common/random.js';
import { SessionStore } from '../../../tools/demo-ehr/session-store.js';

const ana = { sub: 'u-nurse-ana', name: 'Ana', roles: ['clinical'] };

describe('SessionStore', () => {
  it('a session lasts 12 hours on the server clock, and ends when asked', () => {
    const clock = new ManualClock();
    const store = new SessionStore(clock, systemRandom);
    const id = store.startSession(ana);
    clock.advance(12 * 60 * 60_000 - 1);
    expect(store.session(id)).toEqual(ana);
    clock.advance(1);
    expect(store.session(id)).toBeUndefined();
    const other = store.startSession(ana);
    store.endSession(other);
    expect(store.session(other)).toBeUndefined();
    expect(store.session(undefined)).toBeUndefined();
  });

  it('a sign-in state and a hand-over code work once, and only within their lifetime', () => {
    const clock = new ManualClock();
    const store = new SessionStore(clock, systemRandom);
    const state = store.startSignIn({ codeVerifier: 'v', nonce: 'n', returnTo: '/' });
    expect(store.finishSignIn(state)).toEqual({ codeVerifier: 'v', nonce: 'n', returnTo: '/' });
    expect(store.finishSignIn(state)).toBeUndefined();
    const code = store.issueHandover(ana, '/patients/p-1001');
    const late = store.issueHandover(ana, '/');
    clock.advance(59_999);
    expect(store.redeemHandover(code)).toEqual({ identity: ana, returnTo: '/patients/p-1001' });
    expect(store.redeemHandover(code)).toBeUndefined();
    clock.advance(1);
    expect(store.redeemHandover(late)).toBeUndefined();
  });

  it('tokens are distinct and unguessable in length', () => {
    const store = new SessionStore(new ManualClock(), systemRandom);
    const tokens = new Set(Array.from({ length: 100 }, () => store.newToken()));
    expect(tokens.size).toBe(100);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
