import { messageOf } from '../../common/errors.js';
import type { AuthenticatorSetup } from '../../preload/contract.js';
import type { IdentityAudit } from '../identity/identity-audit.js';
import type { TotpAuthenticator } from '../identity/step-up/totp-authenticator.js';
import type { SessionService } from '../session/session-service.js';

export interface AuthenticatorSetupDeps {
  session: Pick<SessionService, 'onStepUp' | 'onLifecycle'>;
  totp: Pick<TotpAuthenticator, 'beginEnrollment' | 'confirmEnrollment'>;
  /** The label the app shows for the account (the sign-in name when known). */
  accountLabel(userId: string): Promise<string>;
  audit: IdentityAudit;
  /** Sends the new secret to the renderer, or null when the setup ended. */
  publish(setup: AuthenticatorSetup | null): void;
  log: { warn(message: string): void };
}

export interface AuthenticatorSetupFlow {
  confirm(code: string): Promise<{ ok: boolean; message?: string }>;
  cancel(): void;
  dispose(): void;
}

const ISSUER = 'CareShell';

/**
 * Setting up an authenticator app for step-up: after a fresh provider sign-in (the 'authenticator-setup'
 * step-up) the signed-in clinician gets a new secret; the first valid code from their app makes it their
 * factor. The setup belongs to the session it started in: when that session leaves the screen, it is dropped.
 */
export function authenticatorSetup(deps: AuthenticatorSetupDeps): AuthenticatorSetupFlow {
  let open: { userId: string; sessionId: string } | undefined;
  const end = () => {
    if (!open) return;
    open = undefined;
    deps.publish(null);
  };
  const offStepUp = deps.session.onStepUp((outcome) => {
    if (outcome.action !== 'authenticator-setup' || !outcome.ok) return;
    void (async () => {
      const { userId, sessionId } = outcome;
      const account = await deps.accountLabel(userId);
      const { secret, uri } = await deps.totp.beginEnrollment(userId, account);
      open = { userId, sessionId };
      deps.publish({ issuer: ISSUER, account, secret, uri });
    })().catch((error: unknown) => deps.log.warn(`authenticator setup could not start: ${messageOf(error)}`));
  });
  const offLifecycle = deps.session.onLifecycle((event) => {
    if (event.kind !== 'shown' && event.sessionId === open?.sessionId) end();
  });
  return {
    async confirm(code) {
      const setup = open;
      if (!setup)
        return { ok: false, message: 'No authenticator app setup is in progress: start it again from the menu.' };
      if (!(await deps.totp.confirmEnrollment(setup.userId, code))) {
        return {
          ok: false,
          message: 'That code is not right. Check the app shows CareShell and enter its current code.',
        };
      }
      await deps.audit.record('enrollment.authenticator', 'success', {
        actor: { userId: setup.userId },
        reason: 'authenticator app set up after a fresh sign-in',
      });
      end();
      return { ok: true };
    },
    cancel: end,
    dispose() {
      offStepUp();
      offLifecycle();
      open = undefined;
    },
  };
}
