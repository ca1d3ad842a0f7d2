import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { filePreferenceStore } from '../../../main/preferences/file-preference-store.js';
import { preferenceService } from '../../../main/preferences/preference-service.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function rig(machine = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'careshell-prefs-'));
  dirs.push(dir);
  const warnings: string[] = [];
  const store = filePreferenceStore(dir, { warn: (m) => warnings.push(m) });
  return { dir, store, warnings, service: preferenceService({ store, machine: () => machine }) };
}

describe('the harness preference store (a file) behind the preference service', () => {
  it('keeps what the person chose across a restart', async () => {
    const { dir, service } = await rig();
    expect(await service.set({ key: 'pinPadLayout', value: 'calculator' })).toEqual({ ok: true });
    const again = preferenceService({ store: filePreferenceStore(dir, { warn: () => {} }), machine: () => ({}) });
    expect((await again.view()).values.pinPadLayout).toBe('calculator');
    expect(JSON.parse(await readFile(path.join(dir, 'preferences.json'), 'utf8'))).toEqual({
      pinPadLayout: 'calculator',
    });
  });

  it('refuses to change a key machine policy sets, and leaves the file as it was', async () => {
    const { dir, service } = await rig({ language: 'en' });
    expect(await service.set({ key: 'language', value: 'es' })).toEqual({
      ok: false,
      message: 'The language is set by your organisation.',
    });
    await expect(readFile(path.join(dir, 'preferences.json'))).rejects.toThrow(/ENOENT/);
    expect(await service.view()).toMatchObject({ values: { language: 'en' }, locked: ['language'] });
  });

  it('drops stored keys that are unknown or invalid, keeping the rest, and survives a corrupt file', async () => {
    const { dir, store, warnings } = await rig();
    const file = path.join(dir, 'preferences.json');
    await writeFile(file, JSON.stringify({ language: 'es', soundCues: 'loud', idleTimeoutSeconds: 9999 }));
    expect(await store.load()).toEqual({ language: 'es' });
    expect(warnings.join('\n')).toMatch(/"soundCues"[^]*"idleTimeoutSeconds"/);
    await writeFile(file, '{"language":');
    expect(await store.load()).toEqual({});
    expect(warnings.at(-1)).toMatch(/not valid JSON/);
  });
});
