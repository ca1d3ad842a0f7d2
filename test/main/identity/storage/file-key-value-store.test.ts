import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileKeyValueStore } from '../../../../main/identity/storage/file-key-value-store.js';

describe('FileKeyValueStore', () => {
  const dirs: string[] = [];
  afterEach(async () => Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true }))));

  it('writes owner-only files atomically, lists by prefix and deletes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'careshell-kv-'));
    dirs.push(dir);
    const store = new FileKeyValueStore(dir);
    await store.write('pin/abc', Buffer.from('one'));
    await store.write('pin/abc', Buffer.from('two'));
    await store.write('badge/def', Buffer.from('x'));
    expect(Buffer.from((await store.read('pin/abc'))!).toString()).toBe('two');
    expect((await stat(join(dir, 'pin', 'abc'))).mode & 0o077).toBe(0);
    expect(await readdir(join(dir, 'pin'))).toEqual(['abc']);
    expect((await store.list('')).sort()).toEqual(['badge/def', 'pin/abc']);
    expect(await store.list('pin/')).toEqual(['pin/abc']);
    await store.delete('pin/abc');
    expect(await store.read('pin/abc')).toBeUndefined();
  });

  it('refuses keys that could escape its directory', async () => {
    const store = new FileKeyValueStore(tmpdir());
    for (const key of ['../etc/passwd', 'a/../../b', '/abs', 'UPPER', 'a//b']) {
      await expect(store.read(key)).rejects.toThrow(/Invalid storage key/);
    }
  });
});
