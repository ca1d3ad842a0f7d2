import type { CareShellApi, EhrFrame as Frame, SessionView } from '../../preload/contract';
import { formatDuration, useCountdown, useElapsed } from '../hooks/use-countdown';
import type { BreakGlassReceived } from '../hooks/use-break-glass';
import { BreakGlassBanner } from './break-glass/BreakGlassBanner';
import { EmergencyAccessButton } from './break-glass/EmergencyAccessButton';
import { EhrFrame } from './ehr/EhrFrame';
import { Notice } from './Notice';

/**
 * The signed-in view: who is signed in, for how long, a one-touch lock, the EHR pane, and setting up an
 * authenticator app (the optional second step-up proof) behind a fresh sign-in.
 */
export function Workstation({
  view,
  receivedAt,
  api,
  breakGlass = { state: { offered: false }, at: 0 },
  frame = null,
}: {
  view: SessionView;
  receivedAt: number;
  api: CareShellApi;
  breakGlass?: BreakGlassReceived;
  frame?: Frame;
}) {
  const elapsed = useElapsed(view.sessionElapsedMs, receivedAt);
  const lifetimeLeft = useCountdown(view.lifetimeMsLeft, receivedAt);
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
          <EmergencyAccessButton offered={breakGlass.state.offered} api={api} />
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
      {breakGlass.state.grant && (
        <BreakGlassBanner grant={breakGlass.state.grant} receivedAt={breakGlass.at} api={api} />
      )}
      <Notice notice={view.notice} />
      <EhrFrame frame={frame} api={api} />
    </div>
  );
}
