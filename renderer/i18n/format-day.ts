import type { TFunction } from 'i18next';

/** A day as the screen's language writes it (the catalog names the locale), e.g. "14 Jan 2026" or "14 ene 2026". */
export function formatDay(t: TFunction, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(t('common.locale'), { day: 'numeric', month: 'short', year: 'numeric' });
}
