#!/usr/bin/env node
// careshell-audit: verify, export and tail the CareShell audit journal (docs/audit.md).
import { importCli } from './import-cli.js';

// `careshell-audit export ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => process.exit(error.code === 'EPIPE' ? 0 : 1));
const { runAuditCli } = await importCli('careshell-audit', 'main/audit/cli/audit-cli', { missingExitCode: 1 });
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.exitCode = await runAuditCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  signal: controller.signal,
});
