import type { InvokeChannel, InvokeResponse, ReaderStatus, SessionView } from '../../preload/contract.js';
import type { AuthenticatorSetupFlow } from '../app/authenticator-setup.js';
import type { SessionInput } from '../session/session-input.js';
import type { HandleUntil, SessionService } from '../session/session-service.js';
import type { PreferenceService } from '../preferences/preference-service.js';
import type { InvokeHandlers } from './contract-server.js';
import type { ReviewChannel } from './review-handlers.js';

export interface SessionHandlerDeps {
  session: SessionService;
  readerStatus(): ReaderStatus;
  /** The authenticator-app setup flow; undefined until the app has started. */
  authenticators(): Pick<AuthenticatorSetupFlow, 'confirm' | 'cancel'> | undefined;
  preferences: PreferenceService;
  /** Brings the waiting sign-in page to the front (WorkstationHost.showSignIn); absent where there is none. */
  showSignIn?(): Ack;
}

type Ack = InvokeResponse<'session:lock-now'>;

/** Whether the screen waits for a sign-in at the identity provider: lock screen, enrollment, PIN reset, step-up. */
function waitsForSignIn(view: SessionView): boolean {
  return view.signingIn === true || view.enrollment?.step === 'sign-in' || view.stepUp?.proving === 'idp';
}

/**
 * What each channel does in a running workstation. Most turn the request into one session input and answer
 * once the session has fully processed it (a PIN: once it is judged); the type makes a channel without a handler a compile error.
 */
/** Every channel but break-glass's, just-in-time's and temporary access's (each capability's *-handlers.ts). */
export type SessionChannel = Exclude<InvokeChannel, `breakglass:${string}` | `jit:${string}` | `temporary:${string}`>;

export function sessionHandlers({
  session,
  readerStatus,
  authenticators,
  preferences,
  showSignIn,
}: SessionHandlerDeps): Omit<InvokeHandlers<SessionChannel>, ReviewChannel> {
  const accepted = (): Ack => ({ ok: true });
  /** A PIN was right when a session is on screen; otherwise the screen's notice says what to do. */
  const unlocked = (): Ack => ({ ok: session.view().screen === 'active' });
  const forward =
    <R>(toInput: (request: R) => SessionInput, answer: () => Ack = accepted, until?: HandleUntil) =>
    async (request: R): Promise<Ack> => {
      await session.handle(toInput(request), until);
      return answer();
    };

  return {
    'session:get-view': async () => session.view(),
    'session:activity': forward(() => ({ type: 'activity', source: 'renderer' })),
    // Answered as soon as the PIN is judged: a lockout opens a full sign-in the clinician may take minutes over.
    'session:submit-pin': forward(({ pin }) => ({ type: 'pin', pin }), unlocked, 'answered'),
    'session:choose-pin': forward(({ pin }) => ({ type: 'choose-pin', pin }), unlocked),
    'session:cancel-enrollment': forward(() => ({ type: 'enroll-cancel' })),
    'session:cancel-pin': forward(() => ({ type: 'pin-cancel' })),
    'session:cancel-sign-in': forward(() => ({ type: 'sign-in-cancel' })),
    'session:forgot-pin': forward(() => ({ type: 'pin-forgot' })),
    'session:sign-in-with-password': forward(
      () => ({ type: 'password-sign-in', readerReady: readerStatus().readers.some((r) => r.state === 'ready') }),
      unlocked,
    ),
    'session:request-step-up': forward(({ action }) => ({ type: 'step-up-request', action })),
    'session:prove-step-up': forward((proof) => ({ type: 'step-up-prove', proof })),
    'session:cancel-step-up': forward(() => ({ type: 'step-up-cancel' })),
    'session:lock-now': forward(() => ({ type: 'lock-now' })),
    'session:show-sign-in': async () => {
      if (!waitsForSignIn(session.view()))
        return { ok: false, message: 'No sign-in is waiting: there is no sign-in window to show.' };
      return showSignIn?.() ?? { ok: false, message: 'This workstation cannot bring the sign-in window forward.' };
    },
    'readers:get-status': async () => readerStatus(),
    'identity:confirm-authenticator': async ({ code }) =>
      authenticators()?.confirm(code) ?? { ok: false, message: 'The workstation is still starting; try again.' },
    'identity:cancel-authenticator': async () => {
      authenticators()?.cancel();
      return { ok: true };
    },
    'preferences:get': () => preferences.view(),
    'preferences:set': (change) => preferences.set(change),
  };
}
