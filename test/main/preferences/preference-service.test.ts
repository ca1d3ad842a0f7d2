import { describe, expect, it } from 'vitest';
import type { PreferencesView } from '../../../common/preference-schemas.js';
import { preferenceService } from '../../../main/preferences/preference-service.js';
import type { PreferenceOverride } from '../../../main/preferences/preference-settings.js';
import { memoryPreferenceStore } from '../../../main/preferences/preference-store.js';

function rig(machine: PreferenceOverride = {}) {
  const policy = { current: machine };
  const service = preferenceService({ store: memoryPreferenceStore(), machine: () => policy.current });
  const heard: PreferencesView[] = [];
  const stop = service.onChange((view) => heard.push(view));
  return { policy, service, heard, stop };
}

describe('preferences:changed, as the preference service tells it', () => {
  it('tells listeners the effective preferences after a person changes one', async () => {
    const { service, heard } = rig();
    await service.set({ key: 'pinPadLayout', value: 'calculator' });
    expect(heard.map((v) => v.values)).toEqual([{ language: 'en', soundCues: true, pinPadLayout: 'calculator' }]);
  });

  it('tells nothing for a refused change', async () => {
    const { service, heard } = rig({ soundCues: false });
    expect(await service.set({ key: 'soundCues', value: true })).toMatchObject({ ok: false });
    expect(heard).toEqual([]);
  });

  it('tells listeners when machine policy sets, changes or frees a key, and only then', async () => {
    const { policy, service, heard } = rig();
    await service.view();
    await service.machinePolicyChanged();
    expect(heard).toEqual([]);

    policy.current = { language: 'es' };
    await service.machinePolicyChanged();
    expect(heard.at(-1)).toMatchObject({ values: { language: 'es' }, locked: ['language'] });

    policy.current = { language: 'es' };
    await service.machinePolicyChanged();
    expect(heard).toHaveLength(1);

    policy.current = {};
    await service.machinePolicyChanged();
    expect(heard.at(-1)).toMatchObject({ values: { language: 'en' }, locked: [] });
    expect(heard).toHaveLength(2);
  });

  it('stops telling a listener that unsubscribed', async () => {
    const { service, heard, stop } = rig();
    stop();
    await service.set({ key: 'language', value: 'es' });
    expect(heard).toEqual([]);
  });
});
