import type { InvokeChannel, InvokeResponse, ReaderStatus } from '../../preload/contract.js';
import type { AuthenticatorSetupFlow } from '../app/authenticator-setup.js';
import type { SessionInput } from '../session/session-input.js';
import type { SessionService } from '../session/session-service.js';
import type { InvokeHandlers } from './contract-server.js';

export interface SessionHandlerDeps {
  session: SessionService;
  readerStatus(): ReaderStatus;
  /** The authenticator-app setup flow; undefined until the app has started. */
  authenticators(): Pick<AuthenticatorSetupFlow, 'confirm' | 'cancel'> | undefined;
}

type Ack = InvokeResponse<'session:lock-now'>;

/**
 * What each channel does in a running workstation. Most turn the request into one session input and answer
 * once the session has fully processed it; the type makes a channel without a handler a compile error.
 */
/** Every channel but break-glass's (main/break-glass/break-glass-handlers.ts). */
export type SessionChannel = Exclude<InvokeChannel, `breakglass:${string}`>;

export function sessionHandlers({
  session,
  readerStatus,
  authenticators,
}: SessionHandlerDeps): InvokeHandlers<SessionChannel> {
  const accepted = (): Ack => ({ ok: true });
  /** A PIN was right when a session is on screen; otherwise the notice says what to do. */
  const unlocked = (): Ack => {
    const view = session.view();
    return view.screen === 'active'
      ? { ok: true }
      : { ok: false, ...(view.notice ? { message: view.notice.text } : {}) };
  };
  const forward =
    <R>(toInput: (request: R) => SessionInput, answer: () => Ack = accepted) =>
    async (request: R): Promise<Ack> => {
      await session.handle(toInput(request));
      return answer();
    };

  return {
    'session:get-view': async () => session.view(),
    'session:activity': forward(() => ({ type: 'activity', source: 'renderer' })),
    'session:submit-pin': forward(({ pin }) => ({ type: 'pin', pin }), unlocked),
    'session:choose-pin': forward(({ pin }) => ({ type: 'choose-pin', pin }), unlocked),
    'session:cancel-enrollment': forward(() => ({ type: 'enroll-cancel' })),
    'session:cancel-pin': forward(() => ({ type: 'pin-cancel' })),
    'session:forgot-pin': forward(() => ({ type: 'pin-forgot' })),
    'session:sign-in-with-password': forward(
      () => ({ type: 'password-sign-in', readerReady: readerStatus().readers.some((r) => r.state === 'ready') }),
      unlocked,
    ),
    'session:request-step-up': forward(({ action }) => ({ type: 'step-up-request', action })),
    'session:prove-step-up': forward((proof) => ({ type: 'step-up-prove', proof })),
    'session:cancel-step-up': forward(() => ({ type: 'step-up-cancel' })),
    'session:lock-now': forward(() => ({ type: 'lock-now' })),
    'readers:get-status': async () => readerStatus(),
    'identity:confirm-authenticator': async ({ code }) =>
      authenticators()?.confirm(code) ?? { ok: false, message: 'The workstation is still starting; try again.' },
    'identity:cancel-authenticator': async () => {
      authenticators()?.cancel();
      return { ok: true };
    },
  };
}
