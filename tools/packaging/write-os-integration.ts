import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { osIntegrationFiles } from './os-integration.js';

/** Rewrites the installers' autostart and kiosk files under packaging/ from tools/packaging/os-integration.ts. */
const root = path.resolve(import.meta.dirname, '../..');
for (const [file, content] of Object.entries(osIntegrationFiles())) {
  writeFileSync(path.join(root, file), content);
  console.log(`wrote ${file}`);
}
