import { createContext, useContext, useEffect, useState } from 'react';
import type { CareShellApi, PreferencesView, Screen } from '../../preload/contract';

export type EffectivePreferences = PreferencesView['values'];

/** Until main answers: English, the phone pad, and silence (a tone nobody chose is worse than a missing one). */
export const PREFERENCES_UNTIL_KNOWN: EffectivePreferences = {
  language: 'en',
  soundCues: false,
  pinPadLayout: 'phone',
};

/** The effective preferences (docs/policy.md#user-preferences), for the components that follow them. */
export const PreferencesContext = createContext<EffectivePreferences>(PREFERENCES_UNTIL_KNOWN);

export function usePreferenceValues(): EffectivePreferences {
  return useContext(PreferencesContext);
}

/**
 * The effective preferences (machine policy > the stored choice > default), as main resolves them: read when the
 * screen or the person on it changes, and followed through `preferences:changed` (a choice made, a policy change).
 * The policy-error screen does not answer preferences:get, so nothing is read there.
 */
export function useEffectivePreferences(
  api: CareShellApi,
  screen: Screen | undefined,
  person: string | undefined,
): EffectivePreferences {
  const [values, setValues] = useState<EffectivePreferences>(PREFERENCES_UNTIL_KNOWN);
  useEffect(() => api.preferences.onChanged((view) => setValues(view.values)), [api]);
  const readable = screen !== undefined && screen !== 'policy-error';
  useEffect(() => {
    if (!readable) return;
    let current = true;
    void api.preferences
      .get()
      .then((view) => current && setValues(view.values))
      // Kept as they were: the next push or screen change reads them again.
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [api, readable, screen, person]);
  return values;
}
