import type { CareShellApi, SessionView } from '../../preload/contract';
import { Notice } from './Notice';
import { PinPad } from './PinPad';

type EnrollmentView = NonNullable<SessionView['enrollment']>;

/**
 * Enrollment of an unknown badge, or a PIN reset, on the lock screen: first the sign-in at the identity
 * provider (in its own window), then the clinician chooses a PIN. Cancel returns to the lock screen with
 * nothing saved.
 */
export function EnrollmentPanel({
  enrollment,
  notice,
  api,
}: {
  enrollment: EnrollmentView;
  notice: SessionView['notice'];
  api: CareShellApi;
}) {
  const cancel = () => void api.session.cancelEnrollment();
  const title = enrollment.purpose === 'enroll' ? 'This badge is not enrolled yet' : 'Reset your PIN';
  return (
    <section className="enrollment" data-testid="enrollment" data-step={enrollment.step} aria-label={title}>
      {enrollment.step === 'sign-in' ? (
        <>
          <h1>{title}</h1>
          <Notice notice={notice} />
          <button type="button" className="secondary large" data-testid="enrollment-cancel" onClick={cancel}>
            Cancel
          </button>
        </>
      ) : (
        <>
          <h1>
            Welcome, <span data-testid="enrolling-user">{enrollment.displayName}</span>
          </h1>
          <Notice notice={notice} />
          <PinPad mode="choose" onSubmit={(pin) => api.session.choosePin({ pin })} onCancel={cancel} />
        </>
      )}
    </section>
  );
}
