import { useState } from 'react';
import type { CareShellApi } from '../../../preload/contract';
import { PreferencesPanel } from './PreferencesPanel';

/** Opens the preferences panel: for a screen's corner (the lock screen, the signed-in bar). */
export function PreferencesButton({ api }: { api: CareShellApi }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="secondary" onClick={() => setOpen(true)} data-testid="preferences-open">
        Preferences
      </button>
      {open && <PreferencesPanel api={api} onClose={() => setOpen(false)} />}
    </>
  );
}
