import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStatic } from '../../../main/harness/static-files.js';

describe('readStatic', () => {
  let base: string;
  let root: string;
  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'careshell-static-'));
    root = path.join(base, 'renderer');
    await mkdir(path.join(root, 'assets'), { recursive: true });
    await writeFile(path.join(root, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(path.join(base, 'secret.txt'), 'outside');
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it('serves files under its root with their type', async () => {
    expect(await readStatic(root, '/assets/app.js')).toEqual({
      body: Buffer.from('console.log(1)'),
      type: 'text/javascript; charset=utf-8',
    });
  });

  it('refuses paths that escape the root, however they are spelt, and malformed escapes', async () => {
    for (const probe of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/%E0%A4%A',
      '/missing.js',
    ]) {
      expect(await readStatic(root, probe), probe).toBeUndefined();
    }
  });
});
