import type { SessionView } from '../../preload/contract';
import { formatDuration, useCountdown } from '../hooks/use-countdown';

/** The last seconds before the screen locks: impossible to miss, one large target to stay. */
export function IdleWarning({
  view,
  receivedAt,
  onStay,
}: {
  view: SessionView;
  receivedAt: number;
  onStay: () => void;
}) {
  const left = useCountdown(view.idleWarningMsLeft, receivedAt);
  return (
    <div className="idle-warning" role="alertdialog" aria-labelledby="idle-title" data-testid="idle-warning">
      <div className="idle-card">
        <h2 id="idle-title">
          Locking in <span data-testid="idle-seconds">{left === undefined ? '' : formatDuration(left)}</span>
        </h2>
        <p>Your session stays open behind the lock screen. Touch the screen or press any key to keep working.</p>
        <button type="button" className="primary stay-button" onClick={onStay} data-testid="stay-signed-in">
          I&apos;m still here
        </button>
      </div>
    </div>
  );
}
