import { useCallback, useState } from 'react';
import type { CareShellApi, ReaderStatus, SessionView } from '../../preload/contract';
import { formatDuration, useCountdown } from '../hooks/use-countdown';
import { useT } from '../i18n/use-t';
import { EnrollmentPanel } from './EnrollmentPanel';
import { Notice } from './Notice';
import { PinPad } from './PinPad';
import { SignInWaiting } from './SignInWaiting';
import { TemporaryChip } from './temporary/TemporaryChip';

/**
 * Shown whenever no session is on screen. It never shows PHI: only who owns the kept session. The heading
 * always names the person the screen is asking: during a switch the PIN pad is the newcomer's, and the
 * owner of the locked session is only mentioned below. While a badge is being enrolled (or a PIN reset), the
 * enrollment takes the whole card. Beside a PIN pad the card is two columns, so it fits 768 px high screens.
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
  const t = useT();
  const graceLeft = useCountdown(view.graceMsLeft, receivedAt);
  // What the PIN pad says itself (too short, no match) replaces the notice until the next view arrives.
  const [local, setLocal] = useState<{ text: string; at: number }>();
  const onMessage = useCallback(
    (text: string | undefined) => setLocal(text === undefined ? undefined : { text, at: receivedAt }),
    [receivedAt],
  );
  const localText = local?.at === receivedAt ? local.text : undefined;
  const owner = view.screen === 'locked' ? view.user?.displayName : undefined;
  const noReader = readers !== undefined && !readers.readers.some((r) => r.state === 'ready');
  // The identity provider instead of a badge, where policy allows it: always, or while no reader works.
  const offerPassword =
    !view.pinPrompt &&
    !view.signingIn &&
    (view.withoutBadge === 'always' || (view.withoutBadge === 'when-no-reader' && noReader));
  const pinPrompt = view.pinPrompt;
  const withPad = pinPrompt !== undefined || view.enrollment?.step === 'choose-pin';
  const notice = <Notice notice={view.notice} receivedAt={receivedAt} local={localText} />;
  return (
    <main className="lock-screen" data-testid="lock-screen" data-screen={view.screen}>
      <div className={withPad ? 'lock-card with-pad' : 'lock-card'}>
        {view.enrollment ? (
          <EnrollmentPanel
            enrollment={view.enrollment}
            workstation={<WorkstationName view={view} />}
            notice={notice}
            api={api}
            onMessage={onMessage}
          />
        ) : pinPrompt ? (
          <>
            <div className="lock-text">
              <WorkstationName view={view} />
              <h1 data-testid="pin-for">
                {pinPrompt.displayName ? t('lock.enterYourPin', { name: pinPrompt.displayName }) : t('lock.enterPin')}
              </h1>
              <TemporaryChip until={pinPrompt.temporaryUntil} testId="pin-temporary" />
              {owner && owner !== pinPrompt.displayName && (
                <p className="not-you" data-testid="still-locked">
                  {t('lock.stillLocked', { name: owner })}
                </p>
              )}
              {notice}
            </div>
            <PinPad
              onSubmit={(pin) => api.session.submitPin({ pin })}
              onCancel={() => void api.session.cancelPin()}
              onMessage={onMessage}
              {...(pinPrompt.canReset ? { onForgot: () => void api.session.forgotPin() } : {})}
            />
          </>
        ) : (
          <div className="lock-text">
            <WorkstationName view={view} />
            {owner ? (
              <>
                <h1>
                  {t('lock.lockedPrefix')} <span data-testid="locked-user">{owner}</span>
                </h1>
                <TemporaryChip until={view.user?.temporaryUntil} testId="locked-temporary" />
                <p className="lock-hint">{t(`lock.resume_${view.reverify ?? 'badge'}`)}</p>
                {graceLeft !== undefined && (
                  <p className="grace" data-testid="grace-countdown">
                    {t('lock.kept', { time: formatDuration(graceLeft) })}
                  </p>
                )}
                <p className="not-you">{t('lock.notYou', { name: owner })}</p>
              </>
            ) : (
              <>
                <h1>{t('lock.tapToSignIn')}</h1>
                <p className="lock-hint">{t('lock.holdBadge')}</p>
              </>
            )}
            {view.suspendedCount > 0 && (
              <p className="suspended" data-testid="suspended-count">
                {t('lock.suspended', { count: view.suspendedCount })}
              </p>
            )}
            {notice}
            {view.signingIn && (
              <>
                <p className="lock-hint" aria-busy="true" data-testid="waiting-for-sign-in">
                  {t('lock.waitingForSignIn')}
                </p>
                <SignInWaiting
                  api={api}
                  onCancel={() => void api.session.cancelSignIn()}
                  cancelTestId="sign-in-cancel"
                  onMessage={onMessage}
                />
              </>
            )}
            {offerPassword && (
              <button
                type="button"
                className="secondary large"
                data-testid="sign-in-with-password"
                onClick={() => void api.session.signInWithPassword()}
              >
                {t('lock.signInWithPassword')}
              </button>
            )}
          </div>
        )}
      </div>
    </main>
  );
}

function WorkstationName({ view }: { view: SessionView }) {
  return (
    <p className="workstation-name">
      {view.workstation} · {view.profile}
    </p>
  );
}
