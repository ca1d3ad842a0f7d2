import { afterEach, describe, expect, it } from 'vitest';
import type { InvokeOutcome } from '../../../preload/contract.js';
import { memoryPreferenceStore } from '../../../main/preferences/preference-store.js';
import { runWorkstation } from '../../../main/workstation/run-workstation.js';
import { FakeHost, goodPolicy } from './support/fake-host.js';

const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

const resultOf = (outcome: InvokeOutcome) => {
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.result;
};

describe('user preferences in a running workstation', () => {
  it('keeps them in the host store, and locks at once what a changed machine policy sets', async () => {
    const host = await FakeHost.create();
    cleanUps.push(() => host.cleanUp());
    const store = memoryPreferenceStore();
    Object.assign(host, { preferenceStore: store });
    await host.writePolicy(goodPolicy({ preferences: { soundCues: false } }));
    const run = runWorkstation(host, { watchPolicy: host.watchPolicy });
    cleanUps.push(() => run.stop());
    await run.ready;
    const contract = run.parts()!.careshell.contract;
    const pushed: unknown[] = [];
    run.parts()!.careshell.subscribe((channel, payload) => {
      if (channel === 'preferences:changed') pushed.push(payload);
    });

    expect(resultOf(await contract.invoke('preferences:set', { key: 'language', value: 'es' }))).toEqual({ ok: true });
    expect(await store.load()).toEqual({ language: 'es' });
    expect(pushed).toMatchObject([{ values: { language: 'es' }, locked: ['soundCues'] }]);
    expect(resultOf(await contract.invoke('preferences:set', { key: 'soundCues', value: true }))).toEqual({
      ok: false,
      message: 'Sound cues is set by your organisation.',
    });
    expect(resultOf(await contract.invoke('preferences:get', undefined))).toMatchObject({
      values: { language: 'es', soundCues: false, pinPadLayout: 'phone' },
      locked: ['soundCues'],
    });

    await host.writePolicy(goodPolicy({ preferences: { language: 'en' } }));
    host.policyChanged();
    // Waits for the push itself: it follows the changed policy being applied.
    for (let round = 0; pushed.length < 2; round++) {
      if (round > 400) throw new Error('the changed policy was never pushed');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(pushed[1]).toMatchObject({ values: { language: 'en', soundCues: true }, locked: ['language'] });
    expect(resultOf(await contract.invoke('preferences:get', undefined))).toMatchObject({
      values: { language: 'en', soundCues: true },
      locked: ['language'],
    });
  });
});
