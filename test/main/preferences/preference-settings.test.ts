import { describe, expect, it } from 'vitest';
import { careShellPolicySchema, resolveCareShellPolicy } from '../../../main/app/careshell-policy.js';
import { PREFERENCE_DEFAULTS, resolvePreferences } from '../../../main/preferences/preference-settings.js';

describe('resolvePreferences: machine policy > user preference > default', () => {
  it('uses the defaults when nobody set anything', () => {
    expect(resolvePreferences(undefined, undefined)).toMatchObject({ values: PREFERENCE_DEFAULTS, locked: [] });
  });

  it('lets the user preference win over the default', () => {
    expect(resolvePreferences({}, { language: 'es', pinPadLayout: 'calculator' })).toMatchObject({
      values: { language: 'es', soundCues: true, pinPadLayout: 'calculator' },
      locked: [],
    });
  });

  it('lets machine policy win over the user, key by key, and locks exactly the keys it sets', () => {
    const view = resolvePreferences({ language: 'en' }, { language: 'es', soundCues: false });
    expect(view.values).toEqual({ language: 'en', soundCues: false, pinPadLayout: 'phone' });
    expect(view.locked).toEqual(['language']);
    expect(view.choices.language).toContain('en');
  });

  it("takes the preferences section from the machine policy, the running profile's one first", () => {
    const file = careShellPolicySchema.parse({
      version: 1,
      profile: 'er-kiosk',
      preferences: { soundCues: false },
      profiles: { 'er-kiosk': { preferences: { pinPadLayout: 'calculator' } } },
    });
    const resolved = resolveCareShellPolicy(file);
    if (!resolved.ok) throw new Error('policy did not resolve');
    const view = resolvePreferences(resolved.policy.preferences, { pinPadLayout: 'phone', language: 'es' });
    expect(view).toMatchObject({ values: { pinPadLayout: 'calculator', language: 'es' }, locked: ['pinPadLayout'] });
  });

  it('refuses an unknown preference or value in machine policy, naming the key', () => {
    const wrong = careShellPolicySchema.safeParse({ version: 1, preferences: { pinPadLayout: 'abc', theme: 'dark' } });
    expect(wrong.success).toBe(false);
    expect(wrong.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'preferences',
      'preferences.pinPadLayout',
    ]);
  });
});
