import { useT } from '../../i18n/use-t';
import { formatDay } from '../../i18n/format-day';

/** Says that the person is temporary staff (locum, agency) and until when: in the header and on the lock screen. */
export function TemporaryChip({ until, testId = 'temporary-chip' }: { until: string | undefined; testId?: string }) {
  const t = useT();
  if (!until) return null;
  const date = formatDay(t, until);
  return (
    <span className="temporary-chip" data-testid={testId} title={t('temporary.chipTitle', { date })}>
      {t('temporary.chip', { date })}
    </span>
  );
}
