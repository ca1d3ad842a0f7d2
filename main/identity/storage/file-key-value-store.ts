import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { assertStoreKey, type KeyValueStore } from './key-value-store.js';

/**
 * A KeyValueStore on disk: one file per key under a root directory, written to a temporary file, fsynced and
 * renamed into place, so a crash or power loss never leaves a half-written enrollment or PIN record.
 * Files are created owner-only (0600).
 */
export class FileKeyValueStore implements KeyValueStore {
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    assertStoreKey(key);
    return join(this.root, ...key.split('/'));
  }

  async read(key: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(this.pathOf(key)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async write(key: string, value: Uint8Array): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(value);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
    // The rename itself is durable only once the directory entry is flushed.
    const directory = await open(dirname(path), 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async list(prefix: string): Promise<string[]> {
    let entries: Dirent[];
    try {
      entries = await readdir(this.root, { recursive: true, withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) => relative(this.root, join(entry.parentPath, entry.name)).split(sep).join('/'))
      .filter((key) => !key.endsWith('.tmp') && key.startsWith(prefix) && isKey(key));
  }
}

function isKey(key: string): boolean {
  try {
    assertStoreKey(key);
    return true;
  } catch {
    return false;
  }
}
