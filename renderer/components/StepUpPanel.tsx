import type { CareShellApi, SessionView } from '../../preload/contract';
import { CodeForm } from './CodeForm';

type StepUpView = NonNullable<SessionView['stepUp']>;

const WHAT: Record<StepUpView['action'], string> = {
  'break-glass': 'use emergency access',
  export: 'export records',
  'policy-change': "change this workstation's policy",
  'authenticator-setup': 'set up an authenticator app',
};

/**
 * Over the signed-in view when a high-risk action needs the user to confirm it is them: a code from their
 * authenticator app, or a fresh sign-in in the sign-in window, whichever the policy accepts.
 */
export function StepUpPanel({ stepUp, api }: { stepUp: StepUpView; api: CareShellApi }) {
  const busy = stepUp.proving !== undefined;
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="step-up-title" data-testid="step-up">
      <section className="overlay-card">
        <h2 id="step-up-title">Confirm it is you to {WHAT[stepUp.action]}</h2>
        {stepUp.proving === 'idp' ? (
          <p>Sign in again in the sign-in window.</p>
        ) : (
          <>
            {stepUp.methods.includes('totp') && (
              <CodeForm
                id="step-up-code"
                label="Code from your authenticator app"
                busy={busy}
                submitLabel="Confirm"
                testId="step-up"
                onSubmit={(code) => void api.session.proveStepUp({ method: 'totp', code })}
              />
            )}
            {stepUp.methods.includes('idp') && (
              <button
                type="button"
                className="secondary"
                disabled={busy}
                data-testid="step-up-sign-in"
                onClick={() => void api.session.proveStepUp({ method: 'idp' })}
              >
                Sign in with your password instead
              </button>
            )}
          </>
        )}
        <button
          type="button"
          className="secondary"
          data-testid="step-up-cancel"
          onClick={() => void api.session.cancelStepUp()}
        >
          Cancel
        </button>
      </section>
    </div>
  );
}
