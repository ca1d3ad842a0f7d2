#!/usr/bin/env node
// careshell-status: CareShell's health on this machine, as JSON (docs/it-guide.md#health).
// Runs the CLI that `npm run build` (or `npm run build:cli`) compiles to out/cli, which needs only the
// production dependencies. A source checkout without that build runs the TypeScript sources through tsx,
// a devDependency.
import { existsSync } from 'node:fs';

const built = new URL('../out/cli/main/health/status-cli.js', import.meta.url);
let cli = built;
if (!existsSync(built)) {
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    process.stderr.write(
      'careshell-status: the compiled CLI (out/cli) is missing and tsx, which runs it from the sources, is not installed.\n' +
        'Run "npm run build:cli" in the CareShell folder (or install the development dependencies), then try again.\n',
    );
    process.exit(2);
  }
  cli = new URL('../main/health/status-cli.ts', import.meta.url);
}
const { runStatusCli } = await import(cli.href);
process.exitCode = await runStatusCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
