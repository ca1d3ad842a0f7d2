import { createInstance, type TFunction } from 'i18next';
import { LANGUAGES, type Language } from '../../common/notice-ids.js';
import type { SessionView } from '../../preload/contract.js';
import { en } from './catalog-en.js';
import { es } from './catalog-es.js';
import { formatDay } from './format-day.js';

export type Translate = TFunction;

/**
 * One i18next instance with every shipped catalog, synchronous (the catalogs are bundled, nothing loads).
 * React escapes what it renders, so i18next must not escape parameters a second time.
 */
export function createTranslator(language: Language): Translate {
  const i18n = createInstance();
  void i18n.init({
    lng: language,
    fallbackLng: LANGUAGES[0],
    supportedLngs: [...LANGUAGES],
    resources: { en: { translation: en }, es: { translation: es } },
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return i18n.t;
}

type Notice = NonNullable<SessionView['notice']>;

/**
 * A notice from main in words. `msElapsed` is how long ago the view arrived: a retry wait in the params
 * counts down from it, so the screen never shows a stale "Wait 1 s".
 */
export function noticeText(t: Translate, notice: Notice, msElapsed = 0): string {
  const params: Record<string, string | number> = { ...notice.params };
  // Parameters that are themselves words: the action, and the accepted proofs, in the screen's language.
  if (typeof params.action === 'string') params.action = t(`action.${params.action}`);
  if (typeof params.accepted === 'string')
    params.accepted = params.accepted
      .split(',')
      .map((m) => t(`method.${m}`))
      .join(t('common.or'));
  // A day (temporary access's end) in the screen's language.
  if (typeof params.date === 'string') params.date = formatDay(t, params.date);
  const text = t(`notice.${notice.id}`, params);
  const waitMs = typeof params.retryInMs === 'number' ? params.retryInMs - msElapsed : 0;
  const seconds = Math.ceil(waitMs / 1000);
  return seconds > 0 ? `${text} ${t('notice.wait', { count: seconds })}` : text;
}
