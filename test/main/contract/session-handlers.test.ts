import { describe, expect, it } from 'vitest';
import type { AuthenticatorSetupFlow } from '../../../main/app/authenticator-setup.js';
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

const locked: SessionView = { screen: 'locked', workstation: 'WS-1', profile: 'default', suspendedCount: 0 };

function rig(
  options: { readers?: ReaderStatus; authenticators?: Pick<AuthenticatorSetupFlow, 'confirm' | 'cancel'> } = {},
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
  });
  return {
    handlers,
    inputs,
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
  it('has a handler for every channel of the contract but break-glass, and for nothing else', () => {
    expect(Object.keys(rig().handlers).sort()).toEqual(
      Object.keys(invokeChannels)
        .filter((c) => !c.startsWith('breakglass:'))
        .sort(),
    );
  });

  for (const [channel, [request, input]] of Object.entries(forwarded)) {
    it(`${channel} hands the session exactly one input`, async () => {
      const { handlers, inputs } = rig();
      const handler = handlers[channel as SessionChannel] as (request: unknown) => Promise<unknown>;
      await handler(request);
      expect(inputs).toEqual([input]);
    });
  }

  it('answers a PIN ok only when a session is on screen afterwards; otherwise with the notice that says why', async () => {
    const { handlers, afterInput } = rig();
    afterInput({ ...locked, notice: { level: 'warning', text: 'Wrong PIN. 2 attempts left.' } });
    expect(await handlers['session:submit-pin']({ pin: '0000' })).toEqual({
      ok: false,
      message: 'Wrong PIN. 2 attempts left.',
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
});
