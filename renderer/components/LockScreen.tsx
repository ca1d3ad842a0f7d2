import type { CareShellApi, ReaderStatus, SessionView } from '../../preload/contract';
import { formatDuration, useCountdown } from '../hooks/use-countdown';
import { EnrollmentPanel } from './EnrollmentPanel';
import { Notice } from './Notice';
import { PinPad } from './PinPad';

const RESUME_HINT: Record<NonNullable<SessionView['reverify']>, string> = {
  badge: 'Tap your badge to resume',
  'badge+pin': 'Tap your badge, then enter your PIN, to resume',
  pin: 'Enter your PIN to resume',
};

/**
 * Shown whenever no session is on screen. It never shows PHI: only who owns the kept session. While a badge
 * is being enrolled (or a PIN reset), the enrollment takes the whole card.
 */
export function LockScreen({
  view,
  receivedAt,
  api,
  readers,
}: {
  view: SessionView;
  receivedAt: number;
  api: CareShellApi;
  readers?: ReaderStatus;
}) {
  const graceLeft = useCountdown(view.graceMsLeft, receivedAt);
  const kept = view.screen === 'locked' && view.user;
  const noReader = readers !== undefined && !readers.readers.some((r) => r.state === 'ready');
  // The identity provider instead of a badge, where policy allows it: always, or while no reader works.
  const offerPassword =
    !view.pinPrompt && (view.withoutBadge === 'always' || (view.withoutBadge === 'when-no-reader' && noReader));
  return (
    <main className="lock-screen" data-testid="lock-screen" data-screen={view.screen}>
      <div className="lock-card">
        <p className="workstation-name">
          {view.workstation} · {view.profile}
        </p>
        {view.enrollment ? (
          <EnrollmentPanel enrollment={view.enrollment} notice={view.notice} api={api} />
        ) : (
          <>
            {kept ? (
              <>
                <h1>
                  Locked: <span data-testid="locked-user">{view.user!.displayName}</span>
                </h1>
                <p className="lock-hint">{RESUME_HINT[view.reverify ?? 'badge']}</p>
                {graceLeft !== undefined && (
                  <p className="grace" data-testid="grace-countdown">
                    Session kept for {formatDuration(graceLeft)}
                  </p>
                )}
                <p className="not-you">Not {view.user!.displayName}? Tap your own badge.</p>
              </>
            ) : (
              <>
                <h1>Tap your badge to sign in</h1>
                <p className="lock-hint">Hold your badge on the reader until the screen changes.</p>
              </>
            )}
            {view.suspendedCount > 0 && (
              <p className="suspended" data-testid="suspended-count">
                {view.suspendedCount === 1 ? '1 other session is' : `${view.suspendedCount} other sessions are`} kept on
                this workstation.
              </p>
            )}
            <Notice notice={view.notice} />
            {offerPassword && (
              <button
                type="button"
                className="secondary large"
                data-testid="sign-in-with-password"
                onClick={() => void api.session.signInWithPassword()}
              >
                Sign in with your password
              </button>
            )}
            {view.pinPrompt && (
              <PinPad
                attemptsLeft={view.pinPrompt.attemptsLeft}
                onSubmit={(pin) => api.session.submitPin({ pin })}
                onCancel={() => void api.session.cancelPin()}
                {...(view.pinPrompt.canReset ? { onForgot: () => void api.session.forgotPin() } : {})}
              />
            )}
          </>
        )}
      </div>
    </main>
  );
}
