import type { ReactNode } from 'react';
import type { CareShellApi, SessionView } from '../../preload/contract';
import { useT } from '../i18n/use-t';
import { PinPad } from './PinPad';
import { SignInWaiting } from './SignInWaiting';

type EnrollmentView = NonNullable<SessionView['enrollment']>;

/**
 * Enrollment of an unknown badge, or a PIN reset, on the lock screen: first the sign-in at the identity
 * provider (in its own window, which the panel can bring back to the front), then the clinician chooses a PIN.
 * Cancel returns to the lock screen with nothing saved. `notice` is the screen's one notice area, drawn by the lock screen.
 */
export function EnrollmentPanel({
  enrollment,
  workstation,
  notice,
  api,
  onMessage,
}: {
  enrollment: EnrollmentView;
  workstation: ReactNode;
  notice: ReactNode;
  api: CareShellApi;
  onMessage: (text: string | undefined) => void;
}) {
  const t = useT();
  const cancel = () => void api.session.cancelEnrollment();
  const title = enrollment.purpose === 'enroll' ? t('enrollment.enrollTitle') : t('enrollment.resetTitle');
  return enrollment.step === 'sign-in' ? (
    <section className="lock-text enrollment" data-testid="enrollment" data-step="sign-in" aria-label={title}>
      {workstation}
      <h1>{title}</h1>
      {notice}
      <SignInWaiting api={api} onCancel={cancel} cancelTestId="enrollment-cancel" onMessage={onMessage} />
    </section>
  ) : (
    <>
      <section className="lock-text enrollment" data-testid="enrollment" data-step="choose-pin" aria-label={title}>
        {workstation}
        <h1>
          {t('enrollment.welcomePrefix')} <span data-testid="enrolling-user">{enrollment.displayName}</span>
        </h1>
        {notice}
      </section>
      <PinPad
        mode="choose"
        onSubmit={(pin) => api.session.choosePin({ pin })}
        onCancel={cancel}
        onMessage={onMessage}
      />
    </>
  );
}
