import type { BreakGlassState, CareShellApi } from '../../../preload/contract';
import { formatDuration, useCountdown } from '../../hooks/use-countdown';
import './break-glass.css';

type Grant = NonNullable<BreakGlassState['grant']>;

/**
 * Above the EHR for as long as a break-glass grant runs (the stage's banner): what it covers, the time left on the
 * EHR's clock, the 10- and 2-minute warnings, "Extend" (a new reason and step-up) and "End now".
 */
export function BreakGlassBanner({ grant, receivedAt, api }: { grant: Grant; receivedAt: number; api: CareShellApi }) {
  const left = useCountdown(grant.msLeft, receivedAt) ?? 0;
  const what = grant.scope === 'patient' ? `the chart of ${grant.patient ?? 'one patient'}` : 'all restricted charts';
  return (
    <div className="break-glass-banner" role="status" aria-live="polite" data-testid="break-glass-banner">
      <span>Emergency access to {what}</span>
      <span className="bg-time" data-testid="bg-time-left" title="Time left on the EHR">
        {formatDuration(left)}
      </span>
      {grant.warning && (
        <span className="bg-warning" role="alert" data-testid="bg-warning">
          {grant.warning}
        </span>
      )}
      {grant.canExtend && (
        <button
          type="button"
          className="secondary"
          data-testid="bg-extend"
          onClick={() => void api.breakglass.extend()}
        >
          Extend
        </button>
      )}
      <button type="button" data-testid="bg-end-now" onClick={() => void api.breakglass.end()}>
        End now
      </button>
    </div>
  );
}
