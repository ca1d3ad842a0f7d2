import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, buildBinary } from 'plist';
import { afterEach, describe, expect, it } from 'vitest';
import { careShellPolicySchema } from '../../../main/app/careshell-policy.js';
import { ManualClock } from '../../../common/manual-clock.js';
import { loadMachinePolicy } from '../../../main/policy/machine-policy-source.js';
import { managedPreferencesPolicySource } from '../../../main/policy/managed-preferences-policy-source.js';
import { until } from '../audit/support/poll.js';

const uid = process.getuid?.() ?? 0;
const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function managedPreferences() {
  const dir = await mkdtemp(path.join(tmpdir(), 'careshell-managed-'));
  dirs.push(dir);
  await chmod(dir, 0o755);
  const source = managedPreferencesPolicySource({ dir, trust: { platform: 'posix', trustedOwnerUids: [uid] } });
  const file = path.join(dir, 'org.careshell.workstation.plist');
  const install = async (content: string | Uint8Array, mode = 0o644) => {
    await writeFile(file, content);
    await chmod(file, mode);
  };
  return { source, file, install, load: () => loadMachinePolicy(source, careShellPolicySchema) };
}

/** What a configuration profile's custom settings payload puts in the managed preferences. */
const PAYLOAD = {
  PayloadUUID: '5B0C9C2E-0000-4000-8000-000000000001',
  PayloadType: 'org.careshell.workstation',
  version: 1,
  profile: 'nurse-cow',
  session: { graceMinutes: 10, tapOut: { sameUser: 'lock' } },
  kiosk: { allowQuit: false },
};
const EXPECTED = {
  version: 1,
  profile: 'nurse-cow',
  session: { graceMinutes: 10, tapOut: { sameUser: 'lock' } },
  kiosk: { allowQuit: false },
};

describe('macOS managed preferences policy source', () => {
  it('reads an XML property list, dropping the payload keys', async () => {
    const m = await managedPreferences();
    await m.install(build(PAYLOAD));
    expect(await m.load()).toMatchObject({ ok: true, location: m.file, policy: EXPECTED });
  });

  it('reads a binary property list the same way', async () => {
    const m = await managedPreferences();
    await m.install(buildBinary(PAYLOAD));
    expect(await m.load()).toMatchObject({ ok: true, policy: EXPECTED });
  });

  it('is "not configured" without a profile, and names a wrong key or a broken file', async () => {
    const m = await managedPreferences();
    expect(await m.load()).toMatchObject({ ok: true, policy: undefined });
    await m.install(build({ version: 1, session: { graceMinutes: 'ten' } }));
    expect(await m.load()).toMatchObject({ ok: false, problems: [{ path: 'session.graceMinutes' }] });
    await m.install('<?xml version="1.0"?><plist><dict><key>version</key>');
    expect(await m.load()).toMatchObject({
      ok: false,
      problems: [{ message: expect.stringMatching(/not a valid property list/) }],
    });
  });

  it('applies the POSIX file rules: a file others can write is refused', async () => {
    const m = await managedPreferences();
    await m.install(build(PAYLOAD), 0o666);
    expect(await m.load()).toMatchObject({ ok: false, problems: [{ message: expect.stringMatching(/chmod go-w/) }] });
  });

  it('sees a profile installed while running (the folder is watched)', async () => {
    const m = await managedPreferences();
    const clock = new ManualClock();
    let changes = 0;
    const stop = m.source.watch({ clock, log: { warn: () => {} }, onChange: () => changes++ });
    try {
      await m.install(build(PAYLOAD));
      await until(() => changes > 0, clock, 'the new profile to be seen');
      expect(m.source.describe()).toBe(`managed preferences ${m.file}`);
    } finally {
      stop();
    }
  });
});
