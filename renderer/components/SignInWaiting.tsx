import { messageOf } from '../../common/errors.js';
import type { CareShellApi } from '../../preload/contract';
import { useT } from '../i18n/use-t';

/**
 * What the lock screen offers while it waits for a sign-in in the identity provider's window (a PIN lockout,
 * enrollment, a PIN reset, "Sign in with your password"): that window can go behind another one or be
 * minimised, so the screen can bring it back, and can stop waiting. When main cannot show the window (the
 * demo's browser tab), what it says instead goes to the screen's one notice area through `onMessage`.
 */
export function SignInWaiting({
  api,
  onCancel,
  cancelTestId,
  onMessage,
}: {
  api: CareShellApi;
  onCancel: () => void;
  cancelTestId: string;
  onMessage: (text: string | undefined) => void;
}) {
  const t = useT();
  const show = () =>
    api.session.showSignIn().then(
      (answer) => onMessage(answer.ok ? undefined : answer.message),
      (error: unknown) => onMessage(messageOf(error)),
    );
  return (
    <div className="sign-in-waiting">
      <button type="button" className="primary large" data-testid="show-sign-in" onClick={() => void show()}>
        {t('lock.showSignIn')}
      </button>
      <button type="button" className="secondary large" data-testid={cancelTestId} onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </div>
  );
}
