import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { journalFixture, sampleEvent, trustArgs } from '../main/audit/support/journal-fixture.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

function run(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** The bins alone in a folder with no node_modules, as in an install without devDependencies. */
async function installWithoutDevDependencies(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'careshell-bin-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  await mkdir(path.join(root, 'bin'));
  for (const file of ['careshell-audit.js', 'careshell-status.js', 'import-cli.js']) {
    await copyFile(path.join(ROOT, 'bin', file), path.join(root, 'bin', file));
  }
  await writeFile(path.join(root, 'package.json'), '{"type":"module"}');
  return root;
}

describe('bin/careshell-audit.js', () => {
  it('runs the compiled CLI in out/cli without tsx', async () => {
    const root = await installWithoutDevDependencies();
    await mkdir(path.join(root, 'out/cli/main/audit/cli'), { recursive: true });
    await writeFile(
      path.join(root, 'out/cli/main/audit/cli/audit-cli.js'),
      'export async function runAuditCli(argv, io) { io.stdout(`compiled CLI: ${argv.join(" ")}\\n`); return 3; }\n',
    );
    const { code, stdout, stderr } = await run(
      process.execPath,
      ['bin/careshell-audit.js', 'verify', '--dir', 'x'],
      root,
    );
    expect({ code, stdout, stderr }).toEqual({ code: 3, stdout: 'compiled CLI: verify --dir x\n', stderr: '' });
  });

  it('says how to build it when there is neither the compiled CLI nor tsx', async () => {
    const root = await installWithoutDevDependencies();
    const { code, stdout, stderr } = await run(process.execPath, ['bin/careshell-audit.js', 'verify'], root);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('the compiled CLI (out/cli) is missing and tsx');
    expect(stderr).toContain('Run "npm run build:cli"');
  });

  it('careshell-status says the same, with its own usage-error exit code', async () => {
    const root = await installWithoutDevDependencies();
    const { code, stderr } = await run(process.execPath, ['bin/careshell-status.js'], root);
    expect(code).toBe(2);
    expect(stderr).toContain('careshell-status: the compiled CLI (out/cli) is missing and tsx');
  });

  it('works as `npm run audit -- ...` in the source tree', async () => {
    const f = await journalFixture();
    cleanups.push(f.cleanup);
    const journal = await f.open();
    await journal.append(sampleEvent('session.sign_in', 1));
    await journal.close();
    const { code, stdout } = await run(
      'npm',
      ['run', '--silent', 'audit', '--', 'verify', '--dir', f.directory, ...(await trustArgs(f))],
      ROOT,
    );
    expect(stdout).toMatch(
      /^signed: records 1\.\.2 by key [0-9a-f]{32} \(fingerprint [0-9a-f]{64}\), 1 checkpoint\(s\)\n/,
    );
    expect(stdout).toMatch(/\nOK: 2 records \(1 events, 1 checkpoints\) in 1 segments, seq 1\.\.2\n$/);
    expect(code).toBe(0);
  });
});
