import type { SessionView } from '../../preload/contract';
import { useCountdown } from '../hooks/use-countdown';
import { noticeText } from '../i18n/i18n';
import { useT } from '../i18n/use-t';

/**
 * The screen's one notice area: the current state only. `local` is what the screen itself has to say (a PIN
 * too short), newer than main's notice and shown instead of it. A retry wait counts down live.
 */
export function Notice({
  notice,
  receivedAt,
  local,
}: {
  notice: SessionView['notice'];
  receivedAt: number;
  local?: string | undefined;
}) {
  const t = useT();
  const waitMs = notice?.params?.retryInMs;
  const left = useCountdown(typeof waitMs === 'number' && waitMs > 0 ? waitMs : undefined, receivedAt);
  if (local === undefined && !notice) return null;
  const level = local !== undefined ? 'warning' : notice!.level;
  const text = local ?? noticeText(t, notice!, typeof waitMs === 'number' && left !== undefined ? waitMs - left : 0);
  return (
    <div className={`notice notice-${level}`} role={level === 'error' ? 'alert' : 'status'} data-testid="notice">
      {text}
    </div>
  );
}
