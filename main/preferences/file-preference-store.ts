import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { messageOf } from '../../common/errors.js';
import { storedPreferences, type PreferenceStore } from './preference-store.js';

/** The harness's store: preferences.json in its data folder, replaced in one rename. */
export function filePreferenceStore(dataDir: string, log: { warn(message: string): void }): PreferenceStore {
  const file = path.join(dataDir, 'preferences.json');
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
        throw error;
      }
      try {
        return storedPreferences(JSON.parse(text), log);
      } catch (error) {
        log.warn(`preferences: ${file} is not valid JSON (${messageOf(error)}); the defaults apply`);
        return {};
      }
    },
    async save(preferences) {
      await mkdir(dataDir, { recursive: true });
      await writeFile(`${file}.new`, JSON.stringify(preferences, null, 2));
      await rename(`${file}.new`, file);
    },
  };
}
