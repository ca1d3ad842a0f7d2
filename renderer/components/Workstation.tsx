import { useState } from 'react';
import type { CareShellApi, SessionView } from '../../preload/contract';
import { formatDuration, useCountdown, useElapsed } from '../hooks/use-countdown';
import { Notice } from './Notice';
import { DemoEhrPane } from './DemoEhrPane';
import { ReviewButton } from './review/ReviewButton';
import { ReviewQueuePanel } from './review/ReviewQueuePanel';

/**
 * The signed-in view: who is signed in, for how long, a one-touch lock, the EHR pane, and setting up an
 * authenticator app (the optional second step-up proof) behind a fresh sign-in.
 */
export function Workstation({ view, receivedAt, api }: { view: SessionView; receivedAt: number; api: CareShellApi }) {
  const elapsed = useElapsed(view.sessionElapsedMs, receivedAt);
  const lifetimeLeft = useCountdown(view.lifetimeMsLeft, receivedAt);
  const [reviewing, setReviewing] = useState(false);
  return (
    <div className="workstation" data-testid="workstation">
      <header className="session-header">
        <div className="who">
          <span className="user-name" data-testid="signed-in-user">
            {view.user?.displayName}
          </span>
          {view.user && view.user.roles.length > 0 && <span className="roles">{view.user.roles.join(', ')}</span>}
        </div>
        <div className="timers">
          {elapsed !== undefined && (
            <span data-testid="session-timer" title="Time since you signed in">
              Signed in {formatDuration(elapsed)}
            </span>
          )}
          {lifetimeLeft !== undefined && (
            <span className="lifetime" title="Full sign-in needed after this">
              Shift sign-in ends in {formatDuration(lifetimeLeft)}
            </span>
          )}
        </div>
        <div className="header-actions">
          <ReviewButton view={view} onOpen={() => setReviewing(true)} />
          <button
            type="button"
            className="secondary"
            onClick={() => void api.session.requestStepUp({ action: 'authenticator-setup' })}
            data-testid="setup-authenticator"
          >
            Authenticator app
          </button>
          <button
            type="button"
            className="lock-button"
            onClick={() => void api.session.lockNow()}
            data-testid="lock-now"
          >
            Lock
          </button>
        </div>
      </header>
      <Notice notice={view.notice} />
      {reviewing ? <ReviewQueuePanel api={api} onClose={() => setReviewing(false)} /> : <DemoEhrPane />}
    </div>
  );
}
