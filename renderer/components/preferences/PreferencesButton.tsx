import { useState } from 'react';
import type { CareShellApi } from '../../../preload/contract';
import { useT } from '../../i18n/use-t';
import { PreferencesPanel } from './PreferencesPanel';

/** Opens the preferences panel: for a screen's corner (the lock screen, the signed-in bar). */
export function PreferencesButton({ api }: { api: CareShellApi }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="secondary" onClick={() => setOpen(true)} data-testid="preferences-open">
        {t('preferences.open')}
      </button>
      {open && <PreferencesPanel api={api} onClose={() => setOpen(false)} />}
    </>
  );
}
