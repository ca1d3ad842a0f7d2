#!/usr/bin/env node
// careshell-audit: verify, export and tail the CareShell audit journal (docs/audit.md).
// Runs the TypeScript sources through tsx's loader until the build emits compiled main/ code.
import { register } from 'tsx/esm/api';

register();
// `careshell-audit export ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => process.exit(error.code === 'EPIPE' ? 0 : 1));
const { runAuditCli } = await import('../main/audit/cli/audit-cli.ts');
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.exitCode = await runAuditCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  signal: controller.signal,
});
