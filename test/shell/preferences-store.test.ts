import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { electronPreferenceStore } from '../../main/shell/preferences-store.js';

// electron-store needs a running Electron app; its storage engine is conf (its own dependency), used here directly.
vi.mock('electron-store', () => ({
  default: class {
    constructor() {
      throw new Error('no Electron runtime in this tier');
    }
  },
}));

const dir = await mkdtemp(path.join(tmpdir(), 'careshell-electron-store-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const open = () =>
  new Conf<Record<string, unknown>>({
    cwd: dir,
    configName: 'preferences',
    projectName: 'careshell',
    clearInvalidConfig: true,
  });

describe('electronPreferenceStore (electron-store in userData)', () => {
  it('saves to preferences.json and reads back only valid preferences', async () => {
    const warnings: string[] = [];
    const store = electronPreferenceStore({ warn: (m) => warnings.push(m) }, open);
    expect(await store.load()).toEqual({});
    await store.save({ language: 'es', soundCues: false });
    const file = path.join(dir, 'preferences.json');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ language: 'es', soundCues: false });
    await writeFile(file, JSON.stringify({ language: 'es', pinPadLayout: 'rotary' }));
    expect(await electronPreferenceStore({ warn: (m) => warnings.push(m) }, open).load()).toEqual({ language: 'es' });
    expect(warnings).toEqual([expect.stringMatching(/ignoring the stored "pinPadLayout"/)]);
  });

  it('opens the store on first use only: electron-store needs the app ready', async () => {
    const store = electronPreferenceStore({ warn: () => {} });
    await expect(store.load()).rejects.toThrow(/no Electron runtime/);
    const opening = vi.fn(open);
    electronPreferenceStore({ warn: () => {} }, opening);
    expect(opening).not.toHaveBeenCalled();
  });
});
