import { createContext, useContext } from 'react';
import { createTranslator, type Translate } from './i18n.js';

/** The screens' translator, set by App from the view's language; English until the first view arrives. */
export const TranslateContext = createContext<Translate>(createTranslator('en'));

export function useT(): Translate {
  return useContext(TranslateContext);
}
