import type { SessionView } from '../../preload/contract.js';
import { createTranslator, noticeText } from '../../renderer/i18n/i18n.js';

const english = createTranslator('en');

/** A view's notice in the English the screen shows, for tests that read it as a person would. */
export function noticeEnglish(notice: SessionView['notice']): string | undefined {
  return notice && noticeText(english, notice);
}
