// Shared by the package bins (careshell-audit, careshell-status): loads a CLI module compiled to out/cli by
// `npm run build:cli`, which needs only the production dependencies, or, in a source checkout without that build,
// its TypeScript source through tsx (a devDependency). A stale out/cli wins over newer sources: rebuild after pulling.
import { existsSync } from 'node:fs';

/** `module` is the CLI's path without extension, from the repository root (e.g. main/health/status-cli). */
export async function importCli(name, module, { missingExitCode }) {
  const built = new URL(`../out/cli/${module}.js`, import.meta.url);
  if (existsSync(built)) return import(built.href);
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    process.stderr.write(
      `${name}: the compiled CLI (out/cli) is missing and tsx, which runs it from the sources, is not installed.\n` +
        'Run "npm run build:cli" in the CareShell folder (or install the development dependencies), then try again.\n',
    );
    process.exit(missingExitCode);
  }
  return import(new URL(`../${module}.ts`, import.meta.url).href);
}
