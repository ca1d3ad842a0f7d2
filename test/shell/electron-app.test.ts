// The same scenarios as the fake-electron tests, on the real Electron runtime through Playwright's _electron, where
// one is installed. Here (no runtime) they are skipped with the reason printed; the fake tier covers the logic.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { electronRuntime } from '../../scripts/electron-runtime.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const runtime = electronRuntime();
const missing = 'missing' in runtime ? runtime.missing : undefined;
if (missing) console.log(`skipping the Electron runtime tests (test/shell/electron-app.test.ts): ${missing}`);

const IDENTITY = { clientId: 'careshell', authority: 'https://login.hospital.example/tenant' };

describe.skipIf(missing !== undefined)('CareShell in the real Electron runtime (Playwright _electron)', () => {
  let app: ElectronApplication | undefined;
  let dir: string;

  beforeAll(() => {
    const electronVite = path.join(root, 'node_modules/electron-vite/bin/electron-vite.js');
    const build = spawnSync(process.execPath, [electronVite, 'build'], { cwd: root, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
  }, 180_000);

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  /** Starts CareShell with this policy file (undefined: none) and its own data folder; returns its window. */
  async function launch(policy: unknown, extraArgs: string[] = []): Promise<{ page: Page; policyPath: string }> {
    dir = await mkdtemp(path.join(tmpdir(), 'careshell-electron-'));
    const policyPath = path.join(dir, 'policy.json');
    if (policy !== undefined) await writeFile(policyPath, JSON.stringify(policy), { mode: 0o644 });
    const binary = 'binary' in runtime ? runtime.binary : '';
    app = await _electron.launch({
      executablePath: binary,
      args: [root, ...extraArgs],
      cwd: root,
      env: { ...process.env, CARESHELL_POLICY: policyPath, XDG_CONFIG_HOME: dir, HOME: dir },
    });
    const page = await app.firstWindow();
    return { page, policyPath };
  }

  it('first start without a policy: a locked screen naming the file; the app keeps running', async () => {
    const { page, policyPath } = await launch(undefined);
    await expect.poll(() => page.textContent('body'), { timeout: 20_000 }).toContain(policyPath);
    expect(page.url()).toBe('app://careshell/index.html');
    const onTop = await app!.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows().every((w) => w.isAlwaysOnTop()),
    );
    expect(onTop).toBe(true);
  });

  it('an invalid policy names the wrong key', async () => {
    const { page } = await launch({ version: 1, identity: IDENTITY, nonsense: true });
    await expect.poll(() => page.textContent('body'), { timeout: 20_000 }).toContain('nonsense');
  });

  it.runIf(process.platform === 'linux')(
    'no keyring (--password-store=basic): refused with what IT must do',
    async () => {
      const { page } = await launch({ version: 1, identity: IDENTITY }, ['--password-store=basic']);
      await expect.poll(() => page.textContent('body'), { timeout: 20_000 }).toContain('basic_text');
    },
  );

  it('no application menu; every display but the main one is covered while locked', async () => {
    await launch(undefined);
    const state = await app!.evaluate(({ BrowserWindow, Menu, screen }) => ({
      menu: Menu.getApplicationMenu(),
      displays: screen.getAllDisplays().length,
      windows: BrowserWindow.getAllWindows().length,
    }));
    expect(state.menu).toBeNull();
    expect(state.windows).toBe(state.displays);
  });

  it('the renderer cannot navigate away from app://careshell', async () => {
    const { page } = await launch(undefined);
    await page.waitForURL('app://careshell/index.html');
    // Resolves with the verdict of the shell's own will-navigate listener, which runs first.
    const prevented = app!.evaluate(
      ({ BrowserWindow }) =>
        new Promise<boolean>((resolve) => {
          const main = BrowserWindow.getAllWindows().find((w) => w.webContents.getURL().startsWith('app://'));
          main?.webContents.once('will-navigate', (event) => resolve(event.defaultPrevented));
        }),
    );
    await page.evaluate(() => {
      window.location.href = 'https://example.invalid/';
    });
    expect(await prevented).toBe(true);
    expect(page.url()).toBe('app://careshell/index.html');
  });
});
