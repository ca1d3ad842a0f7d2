import type { PreferenceChange, PreferencesView } from '../../common/preference-schemas.js';
import { resolvePreferences, type PreferenceOverride } from './preference-settings.js';
import type { PreferenceStore } from './preference-store.js';

export interface PreferenceService {
  view(): Promise<PreferencesView>;
  /** Refused for a key machine policy sets: the person sees it read-only. */
  set(change: PreferenceChange): Promise<{ ok: boolean; message?: string }>;
  /** To call after machine policy changed: listeners hear of it when the effective preferences differ. */
  machinePolicyChanged(): Promise<void>;
  /** The effective preferences whenever they change (a person's choice, or machine policy). */
  onChange(listener: (view: PreferencesView) => void): () => void;
}

const NAMES = { language: 'The language', soundCues: 'Sound cues', pinPadLayout: 'The PIN pad layout' } as const;

/** Preferences people choose, under what machine policy sets (docs/policy.md#user-preferences). */
export function preferenceService(deps: {
  store: PreferenceStore;
  /** The `preferences` section of the current machine policy (it can change while running). */
  machine(): PreferenceOverride;
}): PreferenceService {
  const listeners = new Set<(view: PreferencesView) => void>();
  /** What listeners last heard (or the first read), so an unrelated policy change tells nobody anything. */
  let told: string | undefined;
  const view = async () => resolvePreferences(deps.machine(), await deps.store.load());
  const tell = async () => {
    const current = await view();
    const text = JSON.stringify(current);
    if (text === told) return;
    told = text;
    for (const listener of listeners) listener(current);
  };
  return {
    async view() {
      const current = await view();
      told ??= JSON.stringify(current);
      return current;
    },
    async set(change) {
      if (deps.machine()[change.key] !== undefined)
        return { ok: false, message: `${NAMES[change.key]} is set by your organisation.` };
      await deps.store.save({ ...(await deps.store.load()), [change.key]: change.value });
      await tell();
      return { ok: true };
    },
    machinePolicyChanged: tell,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
