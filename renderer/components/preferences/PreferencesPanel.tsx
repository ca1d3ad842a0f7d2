import { useCallback, useEffect, useState } from 'react';
import type { CareShellApi, PreferenceChange, PreferenceKey, PreferencesView } from '../../../preload/contract';
import { useT } from '../../i18n/use-t';

/** Each language in its own words, so a person can find theirs whatever the screen's language. */
const LANGUAGE_NAMES: Record<string, string> = { en: 'English', fr: 'Français', es: 'Español', de: 'Deutsch' };

/** Shown under a setting machine policy sets: the person can see it but not change it. */
function Locked({ id }: { id: string }) {
  const t = useT();
  return (
    <span className="preference-locked" id={id} data-testid={id}>
      {t('preferences.locked')}
    </span>
  );
}

/**
 * The workstation's preferences (docs/policy.md#user-preferences): each one the person may change, and the
 * ones IT set in machine policy shown read-only with "Set by your organisation".
 */
export function PreferencesPanel({ api, onClose }: { api: CareShellApi; onClose: () => void }) {
  const t = useT();
  const [view, setView] = useState<PreferencesView | undefined>();
  const [message, setMessage] = useState<string | undefined>();
  const refresh = useCallback(() => api.preferences.get().then(setView), [api]);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  // A key IT locks (or frees) while the panel is open turns read-only (or editable) at once.
  useEffect(() => api.preferences.onChanged(setView), [api]);

  const change = async (next: PreferenceChange) => {
    const answer = await api.preferences.set(next);
    setMessage(answer.ok ? undefined : answer.message);
    await refresh();
  };
  const isLocked = (key: PreferenceKey) => view?.locked.includes(key) ?? true;
  const lockedNote = (key: PreferenceKey) => (isLocked(key) ? `${key}-locked` : undefined);

  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-labelledby="preferences-title"
      data-testid="preferences"
    >
      <section className="overlay-card">
        <h2 id="preferences-title">{t('preferences.title')}</h2>
        {view === undefined ? (
          <p>{t('preferences.loading')}</p>
        ) : (
          <form onSubmit={(e) => e.preventDefault()}>
            <label htmlFor="pref-language">{t('preferences.language')}</label>
            <select
              id="pref-language"
              data-testid="pref-language"
              value={view.values.language}
              disabled={isLocked('language')}
              aria-describedby={lockedNote('language')}
              onChange={(e) =>
                void change({ key: 'language', value: e.target.value as PreferencesView['values']['language'] })
              }
            >
              {view.choices.language.map((l) => (
                <option key={l} value={l}>
                  {LANGUAGE_NAMES[l] ?? l}
                </option>
              ))}
            </select>
            {isLocked('language') && <Locked id="language-locked" />}

            <label htmlFor="pref-sound">
              <input
                id="pref-sound"
                data-testid="pref-sound"
                type="checkbox"
                checked={view.values.soundCues}
                disabled={isLocked('soundCues')}
                aria-describedby={lockedNote('soundCues')}
                onChange={(e) => void change({ key: 'soundCues', value: e.target.checked })}
              />
              {t('preferences.soundCues')}
            </label>
            {isLocked('soundCues') && <Locked id="soundCues-locked" />}

            <label htmlFor="pref-pin-pad">{t('preferences.pinPadLayout')}</label>
            <select
              id="pref-pin-pad"
              data-testid="pref-pin-pad"
              value={view.values.pinPadLayout}
              disabled={isLocked('pinPadLayout')}
              aria-describedby={lockedNote('pinPadLayout')}
              onChange={(e) =>
                void change({ key: 'pinPadLayout', value: e.target.value as PreferencesView['values']['pinPadLayout'] })
              }
            >
              {view.choices.pinPadLayout.map((l) => (
                <option key={l} value={l}>
                  {t(`preferences.layout_${l}`)}
                </option>
              ))}
            </select>
            {isLocked('pinPadLayout') && <Locked id="pinPadLayout-locked" />}
          </form>
        )}
        {message && (
          <p role="alert" data-testid="preferences-message">
            {message}
          </p>
        )}
        <button type="button" className="secondary" onClick={onClose} data-testid="preferences-close">
          {t('preferences.close')}
        </button>
      </section>
    </div>
  );
}
