import type { CareShellApi, SessionView } from '../../preload/contract';
import { useT } from '../i18n/use-t';
import { CodeForm } from './CodeForm';
import { Dialog } from './Dialog';
import { Notice } from './Notice';

type StepUpView = NonNullable<SessionView['stepUp']>;

/**
 * Over the signed-in view when a high-risk action needs the user to confirm it is them: a code from their
 * authenticator app, or a fresh sign-in in the sign-in window, whichever the policy accepts. What went wrong
 * (a wrong code) is shown in the dialog, where the person is looking, not behind it. Escape cancels.
 */
export function StepUpPanel({
  stepUp,
  notice,
  receivedAt,
  api,
}: {
  stepUp: StepUpView;
  notice: SessionView['notice'];
  receivedAt: number;
  api: CareShellApi;
}) {
  const t = useT();
  const cancel = () => void api.session.cancelStepUp();
  const busy = stepUp.proving !== undefined;
  return (
    <Dialog titleId="step-up-title" testId="step-up" onCancel={cancel}>
      <h2 id="step-up-title">{t('stepUp.title', { action: t(`action.${stepUp.action}`) })}</h2>
      <Notice notice={notice} receivedAt={receivedAt} />
      {stepUp.proving === 'idp' ? (
        <p>{t('stepUp.waiting')}</p>
      ) : (
        <>
          {stepUp.methods.includes('totp') && (
            <CodeForm
              id="step-up-code"
              label={t('stepUp.codeLabel')}
              busy={busy}
              submitLabel={t('stepUp.confirm')}
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
              {t('stepUp.signInInstead')}
            </button>
          )}
        </>
      )}
      <button type="button" className="secondary" data-testid="step-up-cancel" onClick={cancel}>
        {t('common.cancel')}
      </button>
    </Dialog>
  );
}
