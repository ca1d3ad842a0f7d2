import { useState } from 'react';
import type { CareShellApi, EhrFrame as Frame, ReaderStatus, SessionView } from '../../preload/contract';
import { formatDuration, useCountdown, useElapsed } from '../hooks/use-countdown';
import type { BreakGlassReceived } from '../hooks/use-break-glass';
import type { JustInTimeReceived } from '../hooks/use-just-in-time';
import { JustInTimeBanner } from './just-in-time/JustInTimeBanner';
import { RequestAccessButton } from './just-in-time/RequestAccessButton';
import { useT } from '../i18n/use-t';
import { BreakGlassBanner } from './break-glass/BreakGlassBanner';
import { EmergencyAccessButton } from './break-glass/EmergencyAccessButton';
import { EhrFrame } from './ehr/EhrFrame';
import { Notice } from './Notice';
import { readerDetails, readersDown } from './ReaderBanner';
import { ReviewButton } from './review/ReviewButton';
import { ReviewQueuePanel } from './review/ReviewQueuePanel';
import { TemporaryChip } from './temporary/TemporaryChip';

/**
 * The signed-in view: who is signed in, for how long, when the screen will lock, a one-touch lock, the EHR
 * pane, and setting up an authenticator app (the optional second step-up proof) behind a fresh sign-in.
 * Everything it must say fits in the fixed header (a reader problem too): the Electron shell places the EHR
 * view right below it (common/shell-layout.ts), so nothing may be drawn over or under it. While a dialog is
 * open, the notice is the dialog's, not drawn behind it.
 */
export function Workstation({
  view,
  receivedAt,
  api,
  readers,
  dialogOpen,
  breakGlass = { state: { offered: false }, at: 0 },
  justInTime = { state: { offered: false }, at: 0 },
  frame = null,
}: {
  view: SessionView;
  receivedAt: number;
  api: CareShellApi;
  readers?: ReaderStatus | undefined;
  dialogOpen: boolean;
  breakGlass?: BreakGlassReceived;
  justInTime?: JustInTimeReceived;
  frame?: Frame;
}) {
  const t = useT();
  const elapsed = useElapsed(view.sessionElapsedMs, receivedAt);
  const lifetimeLeft = useCountdown(view.lifetimeMsLeft, receivedAt);
  const idleLeft = useCountdown(view.idleLockMsLeft, receivedAt);
  const lockCountdownMs = view.display?.lockCountdownMs ?? 0;
  const readerDown = readers !== undefined && readersDown(readers);
  const [reviewing, setReviewing] = useState(false);
  return (
    <div className="workstation" data-testid="workstation">
      <header className="session-header" data-testid="session-header">
        <div className="who">
          <span className="user-name" data-testid="signed-in-user">
            {view.user?.displayName}
          </span>
          {/* Temporary staff: when their access ends matters more here than their roles. */}
          {view.user?.temporaryUntil ? (
            <TemporaryChip until={view.user.temporaryUntil} />
          ) : (
            view.user && view.user.roles.length > 0 && <span className="roles">{view.user.roles.join(', ')}</span>
          )}
        </div>
        <div className="timers">
          {idleLeft !== undefined && idleLeft < lockCountdownMs ? (
            <span className="locks-in" data-testid="locks-in" title={t('header.locksInTitle')}>
              {t('header.locksIn', { time: formatDuration(idleLeft) })}
            </span>
          ) : (
            elapsed !== undefined && (
              <span data-testid="session-timer" title={t('header.signedInTitle')}>
                {t('header.signedIn', { time: formatDuration(elapsed) })}
              </span>
            )
          )}
          {lifetimeLeft !== undefined && (
            <span className="lifetime" title={t('header.shiftEndsTitle')}>
              {t('header.shiftEnds', { time: formatDuration(lifetimeLeft) })}
            </span>
          )}
        </div>
        {readerDown && (
          <span className="reader-chip" role="status" data-testid="reader-chip" title={readerDetails(readers)}>
            {t('header.readerDown')}
          </span>
        )}
        <div className="header-actions">
          <ReviewButton view={view} onOpen={() => setReviewing(true)} />
          <RequestAccessButton offered={justInTime.state.offered} api={api} />
          <EmergencyAccessButton offered={breakGlass.state.offered} api={api} />
          <button
            type="button"
            className="secondary"
            onClick={() => void api.session.requestStepUp({ action: 'authenticator-setup' })}
            data-testid="setup-authenticator"
          >
            {t('header.authenticator')}
          </button>
          <button
            type="button"
            className="lock-button"
            onClick={() => void api.session.lockNow()}
            data-testid="lock-now"
          >
            {t('header.lock')}
          </button>
        </div>
      </header>
      {breakGlass.state.grant && (
        <BreakGlassBanner grant={breakGlass.state.grant} receivedAt={breakGlass.at} api={api} />
      )}
      {justInTime.state.grant && (
        <JustInTimeBanner grant={justInTime.state.grant} receivedAt={justInTime.at} api={api} />
      )}
      {!dialogOpen && <Notice notice={view.notice} receivedAt={receivedAt} />}
      {reviewing ? (
        <ReviewQueuePanel api={api} onClose={() => setReviewing(false)} />
      ) : (
        <EhrFrame frame={frame} api={api} />
      )}
    </div>
  );
}
