import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';

// electron-builder's own loader and schema check (app-builder-lib comes pinned with electron-builder).
const require = createRequire(import.meta.url);
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<Record<string, unknown>>;
  validateConfiguration(config: Record<string, unknown>, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const root = path.resolve(import.meta.dirname, '../..');
const loadConfig = () => getConfig(root, 'electron-builder.yml', null);

describe('electron-builder.yml', () => {
  it('passes electron-builder schema validation', async () => {
    await expect(validateConfiguration(await loadConfig(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('would be refused by that validation if it held an unknown key (the check can fail)', async () => {
    const config = { ...(await loadConfig()), pkg: { allowAnywhere: false, notAnOption: true } };
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(/configuration\.pkg/);
  });

  it('flips the fuses of the Electron security checklist (docs/design.md#hardening)', async () => {
    expect((await loadConfig()).electronFuses).toMatchObject({
      // The renderer comes from app://careshell; file:// pages get no fetch access to the disk.
      grantFileProtocolExtraPrivileges: false,
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    expect((await loadConfig()).asar).toBe(true);
  });

  it('packages what electron-vite builds, with package.json main pointing inside it', async () => {
    const files = ((await loadConfig()).files as { filter: string[] }[]).flatMap((entry) => entry.filter);
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('out/main/index.js');
    for (const folder of ['out/main/**', 'out/preload/**', 'out/renderer/**']) expect(files).toContain(folder);
    // The harness and test tooling never ship.
    expect(files.some((f) => f.startsWith('out/harness') || f.startsWith('test') || f.startsWith('tools'))).toBe(false);
  });

  it('unpacks every native module from the asar, in the paths its loader really uses', async () => {
    const unpack = (await loadConfig()).asarUnpack as string[];
    const unpacked = (file: string) => unpack.some((glob) => minimatch(file, glob, { dot: true }));
    // Real paths: node-hid's prebuilds, the napi-rs platform package of argon2, the PC/SC addon's node-gyp build.
    for (const file of [
      'node_modules/node-hid/prebuilds/HID-linux-x64/node-napi-v4.node',
      'node_modules/node-hid/nodehid.js',
      'node_modules/@node-rs/argon2-linux-x64-gnu/argon2.linux-x64-gnu.node',
      'node_modules/@node-rs/argon2-win32-x64-msvc/argon2.win32-x64-msvc.node',
      'node_modules/@pokusew/pcsclite/build/Release/pcsclite.node',
      'node_modules/@pokusew/pcsclite/lib/pcsclite.js',
    ])
      expect(unpacked(file), file).toBe(true);
    expect(unpacked('out/main/index.js')).toBe(false);
  });

  it("names a rebuild for the one native dependency without N-API prebuilds (PC/SC) for Electron's ABI", async () => {
    const config = await loadConfig();
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string>
    >;
    expect(pkg.optionalDependencies).toHaveProperty('@pokusew/pcsclite');
    expect(config).toMatchObject({ npmRebuild: true, buildDependenciesFromSource: false });
    expect(config.nativeRebuilder).not.toBe('legacy');
  });
});
