import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The build output (`out/`) the harness serves the renderer and bridge from. The harness runs from its sources
 * (main/harness/) under tsx or compiled (out/cli/main/harness/, what `npm run demo` starts), so the project root
 * is found as the nearest folder above this file with a package.json, not at a fixed depth.
 */
export function builtAppDir(from = import.meta.dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'out');
    if (path.dirname(dir) === dir)
      throw new Error(`No package.json above ${from}: cannot find CareShell's out/ folder.`);
  }
}
