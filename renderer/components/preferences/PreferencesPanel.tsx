import { useCallback, useEffect, useState } from 'react';
import type { CareShellApi, PreferenceChange, PreferenceKey, PreferencesView } from '../../../preload/contract';
import { useT } from '../../i18n/use-t';

/** Each language in its own words, so a person can find theirs whatever the screen's language. */
const LANGUAGE_NAMES: Record<PreferencesView['values']['language'], string> = { en: 'English', es: 'Español' };

/** Shown under a setting machine policy sets: the person can see it but not change it. */
function Locked({ id }: { id: string }) {
  const t = useT();
  return (
    <span className="preference-locked" id={id} data-testid={id}>
      {t('preferences.locked')}
    </span>
  );
}

type ChoiceKey = keyof PreferencesView['choices'];

/** One preference picked from a list (language, PIN pad layout), read-only with a note when policy sets it. */
function ChoiceField<K extends ChoiceKey>(props: {
  name: K;
  testId: string;
  label: string;
  view: PreferencesView;
  choiceName: (value: PreferencesView['values'][K]) => string;
  onChange: (value: PreferencesView['values'][K]) => void;
}) {
  const { name, view } = props;
  const locked = view.locked.includes(name);
  const choices = view.choices[name] as PreferencesView['values'][K][];
  return (
    <>
      <label htmlFor={props.testId}>{props.label}</label>
      <select
        id={props.testId}
        data-testid={props.testId}
        value={view.values[name]}
        disabled={locked}
        aria-describedby={locked ? `${name}-locked` : undefined}
        onChange={(e) => props.onChange(e.target.value as PreferencesView['values'][K])}
      >
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {props.choiceName(choice)}
          </option>
        ))}
      </select>
      {locked && <Locked id={`${name}-locked`} />}
    </>
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
            <ChoiceField
              name="language"
              testId="pref-language"
              label={t('preferences.language')}
              view={view}
              choiceName={(l) => LANGUAGE_NAMES[l]}
              onChange={(value) => void change({ key: 'language', value })}
            />

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

            <ChoiceField
              name="pinPadLayout"
              testId="pref-pin-pad"
              label={t('preferences.pinPadLayout')}
              view={view}
              choiceName={(l) => t(`preferences.layout_${l}`)}
              onChange={(value) => void change({ key: 'pinPadLayout', value })}
            />
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
