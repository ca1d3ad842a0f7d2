import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomically } from '../audit/atomic-file.js';

/** Where the last list applied is kept, as served (signed), so a restart applies it before its first fetch. */
export interface RevocationListStore {
  load(): Promise<string | undefined>;
  save(jws: string): Promise<void>;
}

export const REVOCATION_LIST_FILE = path.join('revocation-list', 'last-good.jws');

/** The list in the workstation's data folder; verified again when loaded, so the file is trusted with nothing. */
export function fileRevocationListStore(dataDir: string): RevocationListStore {
  const file = path.join(dataDir, REVOCATION_LIST_FILE);
  return {
    async load() {
      try {
        return await readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async save(jws) {
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      await writeFileAtomically(file, jws, { mode: 0o600 });
    },
  };
}

/** A store in memory (tests, benchmarks). */
export function memoryRevocationListStore(initial?: string): RevocationListStore & { saved(): string | undefined } {
  let kept = initial;
  return {
    load: async () => kept,
    save: async (jws) => {
      kept = jws;
    },
    saved: () => kept,
  };
}
