import type { CareShellApi, JustInTimeState } from '../../../preload/contract';
import { formatDuration, useCountdown } from '../../hooks/use-countdown';
import { useT } from '../../i18n/use-t';
import './just-in-time.css';

type Grant = NonNullable<JustInTimeState['grant']>;

/**
 * Above the EHR for as long as a just-in-time grant runs (the stage's banner): what it covers, who approved it, the
 * time left on the EHR's clock, the 10- and 2-minute warnings and "End now".
 */
export function JustInTimeBanner({ grant, receivedAt, api }: { grant: Grant; receivedAt: number; api: CareShellApi }) {
  const t = useT();
  const left = useCountdown(grant.msLeft, receivedAt) ?? 0;
  return (
    <div className="jit-banner" role="status" aria-live="polite" data-testid="jit-banner">
      <span>{t('jit.banner', { what: grant.label })}</span>
      <span className="jit-approval" data-testid="jit-approved-by">
        {grant.approvedBy ? t('jit.approvedBy', { approver: grant.approvedBy }) : t('jit.autoApproved')}
      </span>
      <span className="jit-time" data-testid="jit-time-left" title={t('jit.timeLeft')}>
        {formatDuration(left)}
      </span>
      {grant.warning && (
        <span className="jit-warning" role="alert" data-testid="jit-warning">
          {grant.warning}
        </span>
      )}
      <button type="button" data-testid="jit-end-now" onClick={() => void api.jit.end()}>
        {t('jit.endNow')}
      </button>
    </div>
  );
}
