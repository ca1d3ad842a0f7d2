import { describe, expect, it } from 'vitest';
import { careShellPolicySchema } from '../../../main/app/careshell-policy.js';
import { ManualClock } from '../../../common/manual-clock.js';
import { machinePolicySource } from '../../../main/policy/machine-policy-for-platform.js';
import { loadMachinePolicy } from '../../../main/policy/machine-policy-source.js';
import {
  bindingReader,
  loadRegistryReader,
  registryPolicySource,
  type RegistryBinding,
  type RegistryReaderLoad,
} from '../../../main/policy/registry-policy-source.js';
import { until } from '../audit/support/poll.js';
import { dword, fixtureReader, multiSz, sz, type RegistryFixture } from './support/registry-fixture.js';

const sourceOver = (fixture: RegistryFixture) =>
  registryPolicySource({ schema: careShellPolicySchema, reader: { ok: true, reader: fixtureReader(fixture) } });
const load = (fixture: RegistryFixture) => loadMachinePolicy(sourceOver(fixture), careShellPolicySchema);

/** What Group Policy writes for a typical ADMX configuration. */
const GROUP_POLICY: RegistryFixture = {
  '': { version: dword(1), profile: sz('er-kiosk'), profiles: sz('{"er-kiosk":{"session":{"graceMinutes":5}}}') },
  session: { idleTimeoutSeconds: dword(90), signIn: sz('badge+pin') },
  'session\\tapOut': { sameUser: sz('sign-out') },
  kiosk: { allowQuit: dword(1) },
  identity: {
    clientId: sz('careshell'),
    authority: sz('https://login.microsoftonline.com/contoso.example'),
    revoked: sz('[{"userId":"u1","reason":"left"}]'),
    allowedOrigins: multiSz('https://adfs.contoso.example'),
  },
  'identity\\scopes': { '1': sz('api://ehr/read'), '2': sz('api://ehr/write') },
};

describe('Windows registry policy source (fixtures through an injected reader)', () => {
  it('reads nested keys, DWORDs, strings, lists and JSON text into the same document as the Linux file', async () => {
    const r = await load(GROUP_POLICY);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.location).toBe('HKLM\\SOFTWARE\\Policies\\CareShell');
    expect(r.policy).toMatchObject({
      version: 1,
      profile: 'er-kiosk',
      profiles: { 'er-kiosk': { session: { graceMinutes: 5 } } },
      session: { idleTimeoutSeconds: 90, signIn: 'badge+pin', tapOut: { sameUser: 'sign-out' } },
      kiosk: { allowQuit: true },
      identity: {
        clientId: 'careshell',
        scopes: ['api://ehr/read', 'api://ehr/write'],
        allowedOrigins: ['https://adfs.contoso.example'],
        revoked: [{ userId: 'u1', reason: 'left' }],
      },
    });
  });

  it('is "not configured" when the key holds no CareShell value', async () => {
    expect(await load({})).toEqual({ ok: true, policy: undefined, location: 'HKLM\\SOFTWARE\\Policies\\CareShell' });
  });

  it('names the key of a value of the wrong type, a boolean that is not 0 or 1, and a missing version', async () => {
    const r = await load({
      session: { idleTimeoutSeconds: sz('ninety') },
      kiosk: { allowQuit: dword(2) },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.path).sort()).toEqual(['kiosk.allowQuit', 'session.idleTimeoutSeconds', 'version']);
  });

  it('names a JSON text value that is not JSON, and fails closed', async () => {
    const r = await load({ '': { version: dword(1), profiles: sz('{"er-kiosk":') } });
    expect(r).toMatchObject({
      ok: false,
      problems: [{ path: 'profiles', message: expect.stringMatching(/profiles cannot be read: it is not valid JSON/) }],
    });
  });

  it('fails closed, saying why, when the registry binding cannot load', async () => {
    const source = registryPolicySource({
      schema: careShellPolicySchema,
      reader: { ok: false, reason: '@vscode/windows-registry did not load (no such module)' },
    });
    const r = await loadMachinePolicy(source, careShellPolicySchema);
    expect(r).toMatchObject({
      ok: false,
      problems: [{ message: expect.stringMatching(/registry cannot be read: @vscode\/windows-registry did not load/) }],
    });
  });

  it('reports why the native binding is not there: another OS, a module that does not load', () => {
    expect(loadRegistryReader('linux')).toEqual({ ok: false, reason: 'the Windows registry does not exist on linux' });
    const broken = loadRegistryReader('win32', () => {
      throw new Error('The specified module could not be found');
    });
    expect(broken).toEqual({
      ok: false,
      reason: '@vscode/windows-registry did not load (The specified module could not be found)',
    });
    expect(loadRegistryReader('win32', () => ({ GetStringRegKey: () => '' })).ok).toBe(false);
  });

  it('follows changes by polling at its interval, and only reports a real change', async () => {
    const fixture: RegistryFixture = { '': { version: dword(1) }, session: { graceMinutes: dword(20) } };
    const clock = new ManualClock();
    let changes = 0;
    const source = sourceOver(fixture);
    const stop = source.watch({ clock, log: { warn: () => {} }, onChange: () => changes++ });
    await until(() => clock.pendingTimers() > 0, clock, 'the first read', { stepMs: 0 });
    clock.advance(30_000);
    await until(() => clock.pendingTimers() > 0, clock, 'the second read', { stepMs: 0 });
    expect(changes).toBe(0);
    fixture.session = { graceMinutes: dword(5) };
    await until(() => changes === 1, clock, 'the change to be seen', { stepMs: 30_000 });
    stop();
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('the @vscode/windows-registry reader', () => {
  const values: Record<string, string | number> = {
    'SOFTWARE\\Policies\\CareShell\\profile': 'er-kiosk',
    'SOFTWARE\\Policies\\CareShell\\version': 1,
    'SOFTWARE\\Policies\\CareShell\\profiles': 'x'.repeat(511),
  };
  const binding: RegistryBinding = {
    GetStringRegKey: (_hive, path, name) => {
      if (path === 'SOFTWARE\\Broken') throw new Error('Access is denied');
      if (!path.startsWith('SOFTWARE\\Policies\\CareShell')) throw new Error('Unable to open registry key');
      const v = values[`${path}\\${name}`];
      return typeof v === 'string' ? v : '';
    },
    GetDWORDRegKey: (_hive, path, name) => {
      const v = values[`${path}\\${name}`];
      return typeof v === 'number' ? v : undefined;
    },
  };
  const reader = bindingReader(binding);

  it('reads strings and DWORDs, and treats a missing key or an empty string as absent', () => {
    expect(reader.value('SOFTWARE\\Policies\\CareShell', 'profile', 'REG_SZ')).toEqual(sz('er-kiosk'));
    expect(reader.value('SOFTWARE\\Policies\\CareShell', 'version', 'REG_DWORD')).toEqual(dword(1));
    expect(reader.value('SOFTWARE\\Policies\\CareShell', 'absent', 'REG_SZ')).toBeUndefined();
    expect(reader.value('SOFTWARE\\Other', 'profile', 'REG_SZ')).toBeUndefined();
    // REG_MULTI_SZ is out of its reach: lists come from the numbered subkey the ADMX writes.
    expect(reader.value('SOFTWARE\\Policies\\CareShell', 'profile', 'REG_MULTI_SZ')).toBeUndefined();
  });

  it('passes on any other failure: it must not read as "no policy"', () => {
    expect(() => reader.value('SOFTWARE\\Broken', 'profile', 'REG_SZ')).toThrow(/Access is denied/);
  });

  it('refuses a string that may have been cut off by its 512-byte buffer', () => {
    expect(() => reader.value('SOFTWARE\\Policies\\CareShell', 'profiles', 'REG_SZ')).toThrow(/511 characters/);
  });
});

describe('machinePolicySource on Windows', () => {
  it('reads the registry through the reader it is given, and fails closed without one', async () => {
    const reader = {
      ok: true as const,
      reader: fixtureReader({ '': { version: dword(1), profile: sz('nurse-cow') } }),
    };
    const windows = (registryReader: () => RegistryReaderLoad) =>
      machinePolicySource({
        platform: 'win32',
        schema: careShellPolicySchema,
        packaged: true,
        env: {},
        registryReader,
      });
    expect(
      await loadMachinePolicy(
        windows(() => reader),
        careShellPolicySchema,
      ),
    ).toMatchObject({
      ok: true,
      policy: { version: 1, profile: 'nurse-cow' },
    });
    expect(windows(() => reader).describe()).toBe('registry key HKLM\\SOFTWARE\\Policies\\CareShell');
    const missing = await loadMachinePolicy(
      windows(() => ({ ok: false, reason: 'the Windows registry does not exist on linux' })),
      careShellPolicySchema,
    );
    expect(missing.ok).toBe(false);
  });
});
