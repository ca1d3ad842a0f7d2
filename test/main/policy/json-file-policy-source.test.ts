import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonFilePolicySource } from '../../../main/policy/json-file-policy-source.js';
import { loadMachinePolicy } from '../../../main/policy/machine-policy-source.js';

const load = (options: { path: string; trustedOwnerUids?: number[] }) =>
  loadMachinePolicy(
    jsonFilePolicySource({
      path: options.path,
      trust: { platform: 'posix', ...(options.trustedOwnerUids ? { trustedOwnerUids: options.trustedOwnerUids } : {}) },
    }),
  );

const uid = process.getuid?.() ?? 0;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'careshell-policy-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function policyFile(name: string, content: string, mode = 0o644): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  await chmod(path, mode);
  return path;
}

describe('machine policy loader (Linux)', () => {
  it('loads a valid policy owned by a trusted user', async () => {
    const path = await policyFile(
      'ok.json',
      JSON.stringify({ version: 1, profile: 'er-kiosk', session: { graceMinutes: 10 } }),
    );
    const r = await load({ path, trustedOwnerUids: [uid] });
    expect(r).toEqual({
      ok: true,
      location: path,
      policy: { version: 1, profile: 'er-kiosk', session: { graceMinutes: 10 } },
    });
  });

  it('treats a missing file as "no machine policy"', async () => {
    const r = await load({ path: join(dir, 'absent.json'), trustedOwnerUids: [uid] });
    expect(r).toMatchObject({ ok: true, policy: undefined });
  });

  if (uid === 0)
    console.log(
      'skipping the default-owner test: running as root makes test files root-owned (the untrusted-owner test covers the check)',
    );
  it.skipIf(uid === 0)('refuses a file owned by someone other than root', async () => {
    const path = await policyFile('user-owned.json', JSON.stringify({ version: 1 }));
    const r = await load({ path });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.message).toMatch(/must be owned by root/);
  });

  it('refuses an untrusted owner even when the file is valid', async () => {
    const path = await policyFile('untrusted.json', JSON.stringify({ version: 1 }));
    const r = await load({ path, trustedOwnerUids: [uid + 1] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.message).toMatch(/owned by uid/);
  });

  it('refuses a group- or other-writable file', async () => {
    for (const mode of [0o664, 0o646]) {
      const path = await policyFile(`writable-${mode.toString(8)}.json`, JSON.stringify({ version: 1 }), mode);
      const r = await load({ path, trustedOwnerUids: [uid] });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.problems[0]!.message).toMatch(/chmod go-w/);
    }
  });

  it('refuses a symbolic link (O_NOFOLLOW)', async () => {
    const target = await policyFile('real.json', JSON.stringify({ version: 1 }));
    const link = join(dir, 'link.json');
    await symlink(target, link);
    const r = await load({ path: link, trustedOwnerUids: [uid] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.message).toMatch(/symbolic link/);
  });

  it('names the broken JSON and the wrong key, and leaves the file untouched', async () => {
    const broken = await policyFile('broken.json', '{"version": 1,');
    const r1 = await load({ path: broken, trustedOwnerUids: [uid] });
    expect(r1).toMatchObject({ ok: false, problems: [{ path: '(file)' }] });
    if (!r1.ok) expect(r1.problems[0]!.message).toMatch(/not valid JSON/);

    const content = JSON.stringify({ version: 1, session: { tapOut: { ignoreWithinSeconds: 'three' } } });
    const wrong = await policyFile('wrong.json', content);
    const r2 = await load({ path: wrong, trustedOwnerUids: [uid] });
    expect(r2).toMatchObject({ ok: false, problems: [{ path: 'session.tapOut.ignoreWithinSeconds' }] });
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(wrong, 'utf8')).toBe(content);
  });

  it('refuses a directory in place of the file', async () => {
    const inPlace = join(dir, 'policy-dir.json');
    await mkdir(inPlace);
    const r = await load({ path: inPlace, trustedOwnerUids: [uid] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.message).toMatch(/not a regular file/);
  });

  it('refuses a policy folder that group or others can write, even when the file itself is sound', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'careshell-open-folder-'));
    try {
      await writeFile(join(folder, 'policy.json'), '{"version":1}');
      await chmod(join(folder, 'policy.json'), 0o644);
      await chmod(folder, 0o777);
      const r = await load({ path: join(folder, 'policy.json'), trustedOwnerUids: [uid] });
      expect(r).toMatchObject({
        ok: false,
        problems: [
          {
            path: '(file)',
            message: expect.stringMatching(/folder .* writable by group or others \(mode 777\); run chmod go-w/),
          },
        ],
      });
      await chmod(folder, 0o755);
      expect(await load({ path: join(folder, 'policy.json'), trustedOwnerUids: [uid] })).toMatchObject({
        ok: true,
      });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('refuses a policy folder owned by an untrusted user', async () => {
    const r = await load({ path: join(dir, 'absent.json'), trustedOwnerUids: [uid + 1] });
    expect(r).toMatchObject({
      ok: false,
      problems: [{ message: expect.stringMatching(/policy folder .* owned by uid/) }],
    });
  });
});

describe('the same file under Windows trust rules', () => {
  const windows = (path: string) => loadMachinePolicy(jsonFilePolicySource({ path, trust: { platform: 'windows' } }));

  it('accepts a normal Windows file: owner and mode bits mean nothing there', async () => {
    const path = await policyFile('windows.json', JSON.stringify({ version: 1 }), 0o666);
    expect(await windows(path)).toEqual({ ok: true, location: path, policy: { version: 1 } });
  });

  it('still refuses a symbolic link, without O_NOFOLLOW', async () => {
    const target = await policyFile('windows-real.json', JSON.stringify({ version: 1 }));
    const link = join(dir, 'windows-link.json');
    await symlink(target, link);
    const r = await windows(link);
    expect(r).toMatchObject({ ok: false, problems: [{ message: expect.stringMatching(/symbolic link/) }] });
  });

  it('describes itself and where IT installs it', () => {
    const source = jsonFilePolicySource({ path: '/etc/careshell/policy.json' });
    expect(source.location).toBe('/etc/careshell/policy.json');
    expect(source.describe()).toBe('policy file /etc/careshell/policy.json');
  });
});
