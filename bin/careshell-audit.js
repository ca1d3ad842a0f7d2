#!/usr/bin/env node
// careshell-audit: verify, export and tail the CareShell audit journal (docs/audit.md).
// Runs the CLI that `npm run build` (or `npm run build:cli`) compiles to out/cli, which needs only the
// production dependencies. A source checkout without that build runs the TypeScript sources through tsx,
// a devDependency.
import { existsSync } from 'node:fs';

const built = new URL('../out/cli/main/audit/cli/audit-cli.js', import.meta.url);
let cli = built;
if (!existsSync(built)) {
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    process.stderr.write(
      'careshell-audit: the compiled CLI (out/cli) is missing and tsx, which runs it from the sources, is not installed.\n' +
        'Run "npm run build:cli" in the CareShell folder (or install the development dependencies), then try again.\n',
    );
    process.exit(1);
  }
  cli = new URL('../main/audit/cli/audit-cli.ts', import.meta.url);
}
// `careshell-audit export ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => process.exit(error.code === 'EPIPE' ? 0 : 1));
const { runAuditCli } = await import(cli.href);
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.exitCode = await runAuditCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  signal: controller.signal,
});
