import { useEffect, useState } from 'react';
import type { CareShellApi } from '../../preload/contract';
import { useT } from '../i18n/use-t';
import { playTone } from '../sound';

/** How long "Badge read" stays on screen: long enough to see, gone before the next tap. */
export const BADGE_READ_CUE_MS = 1500;

/**
 * The confirmation every tap gets at once, as a reader's beep would: "Badge read" on screen (and a tone where
 * the sound cues preference is on). What the tap did follows as the screen itself, or, for a refused tap, as its notice
 * saying why.
 */
export function BadgeReadCue({ api, sounds }: { api: CareShellApi; sounds: boolean }) {
  const t = useT();
  const [reads, setReads] = useState(0);
  const [shown, setShown] = useState(false);
  useEffect(
    () =>
      api.readers.onBadgeRead(() => {
        setReads((n) => n + 1);
        setShown(true);
        if (sounds) playTone('read');
      }),
    [api, sounds],
  );
  useEffect(() => {
    if (reads === 0) return;
    const timer = setTimeout(() => setShown(false), BADGE_READ_CUE_MS);
    return () => clearTimeout(timer);
  }, [reads]);
  return (
    <div className="badge-read" role="status" data-testid="badge-read" data-shown={shown}>
      {shown ? t('reader.badgeRead') : ''}
    </div>
  );
}
