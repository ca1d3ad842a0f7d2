import { useCallback, useState } from 'react';
import type { CareShellApi, SessionView } from '../../preload/contract';
import { useT } from '../i18n/use-t';
import { CodeForm } from './CodeForm';
import { Dialog } from './Dialog';
import { Notice } from './Notice';
import { PinPad } from './PinPad';

type StepUpView = NonNullable<SessionView['stepUp']>;

/**
 * Over the signed-in view when a high-risk action needs the user to confirm it is them: their PIN, a code from
 * their authenticator app, or a fresh sign-in in the sign-in window, whichever the policy accepts. What went wrong
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
  const offersPin = stepUp.methods.includes('pin');
  const offersCode = stepUp.methods.includes('totp');
  // One typed proof at a time: the PIN pad reads digits from the whole keyboard, so it never shares the dialog.
  const [typed, setTyped] = useState<'pin' | 'totp'>(offersPin ? 'pin' : 'totp');
  // What the PIN pad says itself (too short) replaces the notice until the next view arrives.
  const [local, setLocal] = useState<{ text: string; at: number }>();
  const onMessage = useCallback(
    (text: string | undefined) => setLocal(text === undefined ? undefined : { text, at: receivedAt }),
    [receivedAt],
  );
  const other = typed === 'pin' ? offersCode && 'totp' : offersPin && 'pin';
  const showsPad = typed === 'pin' && offersPin && stepUp.proving !== 'idp';
  return (
    <Dialog titleId="step-up-title" testId="step-up" onCancel={cancel}>
      <h2 id="step-up-title">{t('stepUp.title', { action: t(`action.${stepUp.action}`) })}</h2>
      <Notice notice={notice} receivedAt={receivedAt} local={local?.at === receivedAt ? local.text : undefined} />
      {stepUp.proving === 'idp' ? (
        <p>{t('stepUp.waiting')}</p>
      ) : (
        <>
          {showsPad && (
            <>
              <p>{t('stepUp.pinLabel')}</p>
              <PinPad
                onSubmit={(pin) => api.session.proveStepUp({ method: 'pin', pin })}
                onCancel={cancel}
                onMessage={onMessage}
                verifyLabel={t('stepUp.confirm')}
              />
            </>
          )}
          {typed === 'totp' && offersCode && (
            <CodeForm
              id="step-up-code"
              label={t('stepUp.codeLabel')}
              busy={busy}
              submitLabel={t('stepUp.confirm')}
              testId="step-up"
              onSubmit={(code) => void api.session.proveStepUp({ method: 'totp', code })}
            />
          )}
          {other && (
            <button
              type="button"
              className="secondary"
              disabled={busy}
              data-testid={`step-up-use-${other}`}
              onClick={() => setTyped(other)}
            >
              {t(other === 'pin' ? 'stepUp.usePinInstead' : 'stepUp.useCodeInstead')}
            </button>
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
      {/* The PIN pad has its own Cancel. */}
      {!showsPad && (
        <button type="button" className="secondary" data-testid="step-up-cancel" onClick={cancel}>
          {t('common.cancel')}
        </button>
      )}
    </Dialog>
  );
}
