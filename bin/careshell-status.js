#!/usr/bin/env node
// careshell-status: CareShell's health on this machine, as JSON (docs/it-guide.md#health).
import { importCli } from './import-cli.js';

const { runStatusCli } = await importCli('careshell-status', 'main/health/status-cli', { missingExitCode: 2 });
process.exitCode = await runStatusCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
