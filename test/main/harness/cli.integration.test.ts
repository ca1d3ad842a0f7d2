import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** The harness CLI from its sources, as `npm run demo -- <args>` runs it once built. */
async function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/harness/cli.ts', '--no-open', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe('demo CLI: joining another process’s hospital services', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'careshell-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses --data-dir without --hospital, and says why', async () => {
    const { code, stderr } = await cli(['--data-dir', path.join(dir, 'ws')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--data-dir and --workstation need --hospital FILE/);
  });

  it('names a missing hospital file and how to make one', async () => {
    const missing = path.join(dir, 'nowhere.json');
    const { code, stderr } = await cli(['--hospital', missing]);
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot read --hospital ${missing}`);
    expect(stderr).toContain(`--serve-hospital ${missing}`);
  });

  it('names what is wrong in a file that is not a hospital description', async () => {
    const wrong = path.join(dir, 'wrong.json');
    await writeFile(wrong, JSON.stringify({ caPem: 'not a certificate', ehrOrigin: 'http://127.0.0.1:1' }));
    const { code, stderr } = await cli(['--hospital', wrong]);
    expect(code).toBe(1);
    expect(stderr).toContain(`--hospital ${wrong} is not a hospital description written by --serve-hospital`);
    expect(stderr).toMatch(/caPem/);
    expect(stderr).toMatch(/idp/);

    const notJson = path.join(dir, 'not-json.json');
    await writeFile(notJson, '{"caPem": ');
    const broken = await cli(['--hospital', notJson]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`--hospital ${notJson} is not JSON`);
  });
});
