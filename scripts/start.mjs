#!/usr/bin/env node
// `npm start`: builds CareShell and runs it in Electron, or explains how to get Electron when it is missing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    // The electron package exports the path of its downloaded runtime, and throws when there is none.
    const binary = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
if (!binary) {
  process.stderr.write(`CareShell could not start: the Electron runtime is not installed.

The electron package is here, but its runtime binary was not downloaded (installs with
ELECTRON_SKIP_BINARY_DOWNLOAD=1, or npm without install scripts, skip it). To get it:
  - on a machine that can reach GitHub releases:   node node_modules/electron/install.js
  - or point at an Electron build you already have: ELECTRON_OVERRIDE_DIST_PATH=/path/to/electron/dist npm start
Then run \`npm start\` again.

To try CareShell without Electron, run \`npm run demo\`: the same app in a browser, with a simulated
badge reader, the local identity provider and a demo EHR.
`);
  process.exit(1);
}

const electronVite = path.join(path.dirname(require.resolve('electron-vite/package.json')), 'bin/electron-vite.js');
const build = spawnSync(process.execPath, [electronVite, 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const child = spawn(binary, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
