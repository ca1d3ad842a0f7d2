import { describe, expect, it } from 'vitest';
import { NOTICE_IDS } from '../../common/notice-ids';
import { en } from '../../renderer/i18n/catalog-en';
import { es } from '../../renderer/i18n/catalog-es';
import { createTranslator, noticeText } from '../../renderer/i18n/i18n';

/** Every key path of a catalog, e.g. 'notice.wrongPin_one'. */
function keys(catalog: object, prefix = ''): string[] {
  return Object.entries(catalog).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`),
  );
}

describe('the message catalogs', () => {
  it('Spanish has exactly the English keys', () => {
    expect(keys(es).sort()).toEqual(keys(en).sort());
  });

  it('words every notice id main can send, in both languages', () => {
    const words = Object.keys(en.notice).map((k) => k.replace(/_.*$/, ''));
    for (const id of NOTICE_IDS) expect(words, id).toContain(id);
  });

  it('fills parameters, plurals and variants, and words the action in the language', () => {
    const t = createTranslator('es');
    expect(noticeText(t, { level: 'warning', id: 'stepUpNeedsSession', params: { action: 'export' } })).toBe(
      'Para exportar registros, inicie sesión primero: acerque su tarjeta.',
    );
    const english = createTranslator('en');
    expect(
      noticeText(english, { level: 'warning', id: 'proofNotAccepted', params: { context: 'totp', accepted: 'idp' } }),
    ).toBe('Policy does not accept an authenticator code for this; use a sign-in.');
    expect(noticeText(english, { level: 'info', id: 'tapIgnored', params: { name: 'Ana', count: 1 } })).toBe(
      'Tap ignored: Ana signed in 1 second ago.',
    );
    // Parameters are shown as given: React escapes them once.
    expect(noticeText(english, { level: 'error', id: 'stepUpFailed', params: { why: 'a <b> & "c"' } })).toBe(
      'Could not confirm it is you: a <b> & "c"',
    );
  });
});
