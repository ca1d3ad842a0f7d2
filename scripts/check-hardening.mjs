#!/usr/bin/env node
// `npm run check:hardening`: Electronegativity over the built app (out/) (docs/design.md#hardening). Fails on
// any finding that is not listed below with the reason it was reviewed and accepted.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

/**
 * Checks left out, each for a reason:
 * - AvailableSecurityFixesGlobalCheck downloads Electron's release list from GitHub (no network in CI);
 *   `npm outdated electron` answers the same question.
 * - ContextIsolation, Sandbox and Auxclick read the object literal passed to `new BrowserWindow` and cannot
 *   follow a function call: every window and view gets lockedDownWebPreferences() (main/shell/web-preferences.ts),
 *   which test/main/shell/web-preferences.test.ts checks, including that no window or view is built without it.
 */
const EXCLUDED = ['AvailableSecurityFixesGlobalCheck', 'ContextIsolationJSCheck', 'SandboxJSCheck', 'AuxclickJSCheck'];

/** Findings reviewed and accepted: rule, file, and why. */
const ACCEPTED = [
  {
    rule: 'CSP_GLOBAL_CHECK',
    file: 'renderer/index.html',
    why: "script-src 'self' is flagged because a site hosting JSONP or user uploads under 'self' could be abused; the renderer's origin serves only its own bundled modules",
  },
];

const out = path.join(root, 'out');
if (!existsSync(path.join(out, 'main', 'index.js')) || !existsSync(path.join(out, 'renderer', 'index.html'))) {
  process.stderr.write(
    'check:hardening: out/ is not built; run `npm run build` first (npm run check:hardening does).\n',
  );
  process.exit(1);
}
// Electronegativity skips a file it cannot parse without saying so, and then reports only the global checks it
// could not satisfy: a bundle that does not even load must fail here first, by name.
const demoChunks = readdirSync(path.join(out, 'demo')).filter((f) => f.endsWith('.mjs'));
for (const entry of ['main/index.js', 'preload/index.cjs', ...demoChunks.map((f) => `demo/${f}`)]) {
  const check = spawnSync(process.execPath, ['--check', path.join(out, entry)], { encoding: 'utf8' });
  if (check.status !== 0) {
    process.stderr.write(`check:hardening: out/${entry} does not load: ${check.stderr}\n`);
    process.exit(1);
  }
}
const electronVersion = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies.electron;
const reportDir = path.join(root, 'test-results');
mkdirSync(reportDir, { recursive: true });
const report = path.join(reportDir, 'electronegativity.sarif');
const cli = path.join(path.dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist', 'index.js');
const run = spawnSync(
  process.execPath,
  [
    '--import',
    pathToFileURL(path.join(root, 'scripts', 'electronegativity-offline.mjs')).href,
    cli,
    '-i',
    out,
    '-r',
    '-e',
    electronVersion,
    '-x',
    EXCLUDED.join(','),
    '-o',
    report,
  ],
  { encoding: 'utf8' },
);
if (run.status !== 0 || !existsSync(report)) {
  process.stderr.write(
    `check:hardening: electronegativity did not run (exit ${run.status}):\n${run.stdout}\n${run.stderr}\n`,
  );
  process.exit(1);
}

const results = JSON.parse(readFileSync(report, 'utf8')).runs.flatMap((r) => r.results);
const where = (result) => {
  const location = result.locations?.[0]?.physicalLocation;
  return { file: location?.artifactLocation?.uri ?? '?', line: location?.region?.startLine ?? 0 };
};
const unexpected = results.filter(
  (result) => !ACCEPTED.some((a) => a.rule === result.ruleId && a.file === where(result).file),
);
for (const result of results) {
  const { file, line } = where(result);
  const accepted = ACCEPTED.find((a) => a.rule === result.ruleId && a.file === file);
  process.stdout.write(
    `${accepted ? 'accepted' : 'FINDING '} ${result.ruleId} out/${file}:${line}: ${result.message.text}${accepted ? ` (${accepted.why})` : ''}\n`,
  );
}
if (unexpected.length > 0) {
  process.stderr.write(
    `check:hardening: ${unexpected.length} finding(s) to fix, or to review and list in scripts/check-hardening.mjs with the reason. Report: ${path.relative(root, report)}\n`,
  );
  process.exit(1);
}
process.stdout.write(
  `check:hardening: electronegativity ${results.length === 0 ? 'found nothing' : `found only the ${results.length} reviewed finding(s)`} in out/ (Electron ${electronVersion}); report: ${path.relative(root, report)}\n`,
);
