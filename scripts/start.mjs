#!/usr/bin/env node
// `npm start`: builds CareShell and runs it in Electron, or explains how to get Electron when it is missing.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { electronRuntime } from './electron-runtime.mjs';

const require = createRequire(import.meta.url);

const runtime = electronRuntime();
if (!('binary' in runtime)) {
  process.stderr.write(`CareShell could not start: the Electron runtime is not installed.

The electron package is here, but ${runtime.missing}. To get it:
  - on a machine that can reach GitHub releases:   node node_modules/electron/install.js
  - or point at an Electron build you already have: ELECTRON_OVERRIDE_DIST_PATH=/path/to/electron/dist npm start
Then run \`npm start\` again.

To try CareShell without Electron, run \`npm run demo\`: the same app in a browser, with a simulated
badge reader, the local identity provider and a demo EHR.
`);
  process.exit(1);
}
const binary = runtime.binary;

const electronVite = path.join(path.dirname(require.resolve('electron-vite/package.json')), 'bin/electron-vite.js');
const build = spawnSync(process.execPath, [electronVite, 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const child = spawn(binary, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
