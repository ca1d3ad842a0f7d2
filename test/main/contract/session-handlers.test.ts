import { describe, expect, it } from 'vitest';
import { preferenceService } from '../../../main/preferences/preference-service.js';
import { memoryPreferenceStore } from '../../../main/preferences/preference-store.js';
import type { AuthenticatorSetupFlow } from '../../../main/app/authenticator-setup.js';
import type { ReviewChannel } from '../../../main/contract/review-handlers.js';
import { sessionHandlers, type SessionChannel } from '../../../main/contract/session-handlers.js';
import type { SessionInput } from '../../../main/session/session-input.js';
import type { SessionService } from '../../../main/session/session-service.js';
import {
  invokeChannels,
  type InvokeChannel,
  type InvokeRequest,
  type ReaderStatus,
  type SessionView,
} from '../../../preload/contract.js';
import { flush, makeRig } from '../session/session-test-kit.js';

const locked: SessionView = { screen: 'locked', workstation: 'WS-1', profile: 'default', suspendedCount: 0 };

function rig(
  options: {
    readers?: ReaderStatus;
    authenticators?: Pick<AuthenticatorSetupFlow, 'confirm' | 'cancel'>;
    showSignIn?: () => { ok: boolean; message?: string };
  } = {},
) {
  const inputs: SessionInput[] = [];
  let view: SessionView = locked;
  // The session answers each input by changing the view, as the real one does before handle() resolves.
  let next: SessionView | undefined;
  const session = {
    handle: async (input: SessionInput) => {
      inputs.push(input);
      if (next) view = next;
    },
    view: () => view,
  } as unknown as SessionService;
  const readers = options.readers ?? { readers: [{ id: 'r1', description: 'Reader', state: 'ready' }] };
  const handlers = sessionHandlers({
    session,
    readerStatus: () => readers,
    authenticators: () => options.authenticators,
    preferences: preferenceService({ store: memoryPreferenceStore(), machine: () => ({ soundCues: false }) }),
    ...(options.showSignIn ? { showSignIn: options.showSignIn } : {}),
  });
  return {
    handlers,
    inputs,
    setView(shown: SessionView) {
      view = shown;
    },
    afterInput(changed: SessionView) {
      next = changed;
    },
  };
}

/** Each channel that forwards to the session: a request, and the one input the session must receive. */
const forwarded: { [C in InvokeChannel]?: [InvokeRequest<C>, SessionInput] } = {
  'session:activity': [undefined, { type: 'activity', source: 'renderer' }],
  'session:submit-pin': [{ pin: '4826' }, { type: 'pin', pin: '4826' }],
  'session:choose-pin': [{ pin: '2580' }, { type: 'choose-pin', pin: '2580' }],
  'session:cancel-enrollment': [undefined, { type: 'enroll-cancel' }],
  'session:cancel-pin': [undefined, { type: 'pin-cancel' }],
  'session:forgot-pin': [undefined, { type: 'pin-forgot' }],
  'session:sign-in-with-password': [undefined, { type: 'password-sign-in', readerReady: true }],
  'session:request-step-up': [{ action: 'export' }, { type: 'step-up-request', action: 'export' }],
  'session:prove-step-up': [
    { method: 'totp', code: '123456' },
    { type: 'step-up-prove', proof: { method: 'totp', code: '123456' } },
  ],
  'session:cancel-step-up': [undefined, { type: 'step-up-cancel' }],
  'session:lock-now': [undefined, { type: 'lock-now' }],
};

describe('sessionHandlers: what each channel does in a running workstation', () => {
  it('has a handler for every channel of the contract but the review, break-glass and temporary ones, and nothing else', () => {
    expect(Object.keys(rig().handlers).sort()).toEqual(
      Object.keys(invokeChannels)
        .filter(
          (channel) =>
            !channel.startsWith('review:') &&
            !channel.startsWith('breakglass:') &&
            !channel.startsWith('jit:') &&
            !channel.startsWith('temporary:'),
        )
        .sort(),
    );
  });

  for (const [channel, [request, input]] of Object.entries(forwarded)) {
    it(`${channel} hands the session exactly one input`, async () => {
      const { handlers, inputs } = rig();
      const handler = handlers[channel as Exclude<SessionChannel, ReviewChannel>] as (
        request: unknown,
      ) => Promise<unknown>;
      await handler(request);
      expect(inputs).toEqual([input]);
    });
  }

  it('answers a PIN ok only when a session is on screen afterwards; otherwise not (the screen notice says why)', async () => {
    const { handlers, afterInput } = rig();
    afterInput({ ...locked, notice: { level: 'warning', id: 'wrongPin', params: { count: 2, retryInMs: 0 } } });
    expect(await handlers['session:submit-pin']({ pin: '0000' })).toEqual({
      ok: false,
    });
    afterInput({ ...locked, screen: 'active', user: { displayName: 'Ana Lopez, RN', roles: ['nurse'] } });
    expect(await handlers['session:submit-pin']({ pin: '4826' })).toEqual({ ok: true });
    // Forwarding channels that do not verify anything are accepted once processed, whatever the screen.
    afterInput(locked);
    expect(await handlers['session:lock-now'](undefined)).toEqual({ ok: true });
  });

  it('tells the session whether a reader works when someone signs in with a password', async () => {
    const { handlers, inputs } = rig({ readers: { readers: [{ id: 'r1', description: 'Reader', state: 'missing' }] } });
    await handlers['session:sign-in-with-password'](undefined);
    expect(inputs).toEqual([{ type: 'password-sign-in', readerReady: false }]);
  });

  it('answers reads from the session and the readers without any session input', async () => {
    const { handlers, inputs } = rig();
    expect(await handlers['session:get-view'](undefined)).toEqual(locked);
    expect((await handlers['readers:get-status'](undefined)).readers).toHaveLength(1);
    expect(inputs).toEqual([]);
  });

  it('passes authenticator codes to the setup flow, and asks to try again before the workstation has started', async () => {
    expect(await rig().handlers['identity:confirm-authenticator']({ code: '123456' })).toEqual({
      ok: false,
      message: 'The workstation is still starting; try again.',
    });
    const confirmed: string[] = [];
    let cancelled = 0;
    const { handlers } = rig({
      authenticators: {
        confirm: async (code) => (confirmed.push(code), { ok: true }),
        cancel: () => void cancelled++,
      },
    });
    expect(await handlers['identity:confirm-authenticator']({ code: '654321' })).toEqual({ ok: true });
    expect(await handlers['identity:cancel-authenticator'](undefined)).toEqual({ ok: true });
    expect(confirmed).toEqual(['654321']);
    expect(cancelled).toBe(1);
  });

  it('gives the preferences with the locked ones, and sets only what machine policy leaves open', async () => {
    const { handlers } = rig();
    expect(await handlers['preferences:set']({ key: 'language', value: 'en' })).toEqual({ ok: true });
    expect(await handlers['preferences:set']({ key: 'soundCues', value: true })).toEqual({
      ok: false,
      message: 'Sound cues is set by your organisation.',
    });
    expect(await handlers['preferences:get'](undefined)).toMatchObject({
      values: { language: 'en', soundCues: false, pinPadLayout: 'phone' },
      locked: ['soundCues'],
    });
  });
});

describe('session:show-sign-in: the waiting sign-in window back to the front', () => {
  const waiting: [string, SessionView][] = [
    ['a full sign-in on the lock screen (PIN lockout, password)', { ...locked, signingIn: true }],
    ['the sign-in of an enrollment', { ...locked, enrollment: { purpose: 'enroll', step: 'sign-in' } }],
    ['the sign-in of a PIN reset', { ...locked, enrollment: { purpose: 'pin-reset', step: 'sign-in' } }],
    [
      'a step-up at the identity provider',
      {
        ...locked,
        screen: 'active',
        stepUp: { action: 'export', methods: ['idp', 'totp'], proving: 'idp' },
      },
    ],
  ];
  it.each(waiting)('asks the host to show it while the screen waits for %s', async (_what, view) => {
    let shown = 0;
    const { handlers, setView, inputs } = rig({ showSignIn: () => (shown++, { ok: true }) });
    setView(view);
    expect(await handlers['session:show-sign-in'](undefined)).toEqual({ ok: true });
    expect(shown).toBe(1);
    expect(inputs).toEqual([]);
  });

  it("passes on the host's answer when it cannot (the harness says where the page is)", async () => {
    const where = { ok: false, message: 'the sign-in page is open in another tab at https://idp.example/authorize' };
    const { handlers, setView } = rig({ showSignIn: () => where });
    setView({ ...locked, signingIn: true });
    expect(await handlers['session:show-sign-in'](undefined)).toEqual(where);
  });

  const idle: [string, SessionView][] = [
    ['the plain lock screen', locked],
    ['the choose-a-PIN step', { ...locked, enrollment: { purpose: 'enroll', step: 'choose-pin' } }],
    ['a step-up waiting for a code', { ...locked, screen: 'active', stepUp: { action: 'export', methods: ['totp'] } }],
  ];
  it.each(idle)('refuses, saying why, on %s: no sign-in is waiting', async (_what, view) => {
    let shown = 0;
    const { handlers, setView } = rig({ showSignIn: () => (shown++, { ok: true }) });
    setView(view);
    expect(await handlers['session:show-sign-in'](undefined)).toEqual({
      ok: false,
      message: 'No sign-in is waiting: there is no sign-in window to show.',
    });
    expect(shown).toBe(0);
  });

  it('says so where the workstation has no way to show it', async () => {
    const { handlers, setView } = rig();
    setView({ ...locked, signingIn: true });
    expect(await handlers['session:show-sign-in'](undefined)).toEqual({
      ok: false,
      message: 'This workstation cannot bring the sign-in window forward.',
    });
  });
});

describe('session:submit-pin with the real session service', () => {
  it('answers the PIN that locks the account at once, while the full sign-in it opened is still open', async () => {
    const session = makeRig({ policy: { reverifyInGrace: 'badge+pin' } });
    const handlers = sessionHandlers({
      session: session.service,
      readerStatus: () => ({ readers: [] }),
      authenticators: () => undefined,
      preferences: preferenceService({ store: memoryPreferenceStore(), machine: () => ({}) }),
    });
    await session.tap('alice');
    await session.service.handle({ type: 'lock-now' });
    await session.tap('alice');
    session.auth.hold = true; // nobody finishes the sign-in window: it may stay open for minutes
    await handlers['session:submit-pin']({ pin: '0000' });
    await handlers['session:submit-pin']({ pin: '0000' });
    const answer = handlers['session:submit-pin']({ pin: '0000' });
    expect(await Promise.race([answer, flush().then(() => 'no answer while the sign-in is open')])).toEqual({
      ok: false,
    });
    // The screen's notice says why, already when the answer comes.
    expect(session.service.view().notice?.id).toMatch(/lock/i);
    expect(session.auth.requests).toHaveLength(1);
    expect(session.auth.signals[0]!.aborted).toBe(false);
    expect(session.audit.events.map((e) => e.type)).toContain('pin.lockout');
    session.service.dispose(); // closes the sign-in window left open
  });

  it('shows the sign-in window the PIN lockout opened, and refuses once that sign-in was cancelled', async () => {
    const session = makeRig({ policy: { reverifyInGrace: 'badge+pin' } });
    let shown = 0;
    const handlers = sessionHandlers({
      session: session.service,
      readerStatus: () => ({ readers: [] }),
      authenticators: () => undefined,
      preferences: preferenceService({ store: memoryPreferenceStore(), machine: () => ({}) }),
      showSignIn: () => (shown++, { ok: true }),
    });
    await session.tap('alice');
    await session.service.handle({ type: 'lock-now' });
    await session.tap('alice');
    session.auth.hold = true;
    for (let i = 0; i < 3; i++) await handlers['session:submit-pin']({ pin: '0000' });
    expect(session.service.view().signingIn).toBe(true);
    expect(await handlers['session:show-sign-in'](undefined)).toEqual({ ok: true });
    expect(shown).toBe(1);
    await handlers['session:cancel-sign-in'](undefined);
    expect(await handlers['session:show-sign-in'](undefined)).toMatchObject({ ok: false });
    expect(shown).toBe(1);
    session.service.dispose();
  });
});
