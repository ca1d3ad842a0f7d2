// Where the Electron runtime binary is, found without running the electron package's index.js: since Electron 42
// that file downloads the runtime from GitHub when it is missing, which a start script or a test must never do
// behind someone's back. Reads what index.js reads: ELECTRON_OVERRIDE_DIST_PATH, then the installed path.txt.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** @returns {{ binary: string } | { missing: string }} */
export function electronRuntime() {
  let dir;
  try {
    dir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed (npm ci installs it)' };
  }
  const pathFile = path.join(dir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override
    ? path.join(override, executable ?? 'electron')
    : executable && path.join(dir, 'dist', executable);
  if (binary && existsSync(binary)) return { binary };
  return {
    missing: override
      ? `ELECTRON_OVERRIDE_DIST_PATH holds no Electron binary (${binary})`
      : 'the Electron runtime binary was not downloaded (installs with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or npm without install scripts, skip it)',
  };
}
