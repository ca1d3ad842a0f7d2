import { useEffect, useRef } from 'react';
import type { SessionView } from '../../preload/contract';
import { useDialogFocus } from '../hooks/use-dialog-focus';
import { usePreferenceValues } from '../hooks/use-preferences';
import { formatDuration, useCountdown } from '../hooks/use-countdown';
import { useT } from '../i18n/use-t';
import { playTone } from '../sound';

/**
 * The last seconds before the screen locks: impossible to miss, one large target to stay. It takes focus
 * (Enter or Escape stays), is announced once by screen readers, and beeps where the sound cues preference is on.
 */
export function IdleWarning({
  view,
  receivedAt,
  onStay,
}: {
  view: SessionView;
  receivedAt: number;
  onStay: () => void;
}) {
  const t = useT();
  const left = useCountdown(view.idleWarningMsLeft, receivedAt);
  const dialog = useDialogFocus<HTMLDivElement>(onStay);
  const announcer = useRef<HTMLParagraphElement>(null);
  const opened = useRef({ msLeft: view.idleWarningMsLeft ?? 0, beeped: false });
  const { soundCues } = usePreferenceValues();
  useEffect(() => {
    // Text put into a live region after it is in the page is what screen readers announce.
    if (announcer.current)
      announcer.current.textContent = t('idle.announce', { count: Math.ceil(opened.current.msLeft / 1000) });
  }, [t]);
  useEffect(() => {
    // One tone per warning, also when the preferences arrive after it opened.
    if (!soundCues || opened.current.beeped) return;
    opened.current.beeped = true;
    playTone('warning');
  }, [soundCues]);
  return (
    <div
      className="idle-warning"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="idle-title"
      aria-describedby="idle-body"
      data-testid="idle-warning"
      ref={dialog}
    >
      <div className="idle-card">
        <h2 id="idle-title">
          {t('idle.title', { time: '' })}
          <span data-testid="idle-seconds">{left === undefined ? '' : formatDuration(left)}</span>
        </h2>
        <p id="idle-body">{t('idle.body')}</p>
        <p className="visually-hidden" aria-live="assertive" data-testid="idle-announcement" ref={announcer} />
        <button
          type="button"
          className="primary stay-button"
          onClick={onStay}
          data-testid="stay-signed-in"
          data-autofocus
        >
          {t('idle.stay')}
        </button>
      </div>
    </div>
  );
}
