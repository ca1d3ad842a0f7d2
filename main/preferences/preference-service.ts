import type { PreferenceChange, PreferencesView } from '../../common/preference-schemas.js';
import { resolvePreferences, type PreferenceOverride } from './preference-settings.js';
import type { PreferenceStore } from './preference-store.js';

export interface PreferenceService {
  view(): Promise<PreferencesView>;
  /** Refused for a key machine policy sets: the person sees it read-only. */
  set(change: PreferenceChange): Promise<{ ok: boolean; message?: string }>;
}

const NAMES = { language: 'The language', soundCues: 'Sound cues', pinPadLayout: 'The PIN pad layout' } as const;

/** Preferences people choose, under what machine policy sets (docs/policy.md#user-preferences). */
export function preferenceService(deps: {
  store: PreferenceStore;
  /** The `preferences` section of the current machine policy (it can change while running). */
  machine(): PreferenceOverride;
}): PreferenceService {
  return {
    async view() {
      return resolvePreferences(deps.machine(), await deps.store.load());
    },
    async set(change) {
      if (deps.machine()[change.key] !== undefined)
        return { ok: false, message: `${NAMES[change.key]} is set by your organisation.` };
      await deps.store.save({ ...(await deps.store.load()), [change.key]: change.value });
      return { ok: true };
    },
  };
}
