// npm run policy:templates: writes the templates IT imports (docs/policy.md#templates) from the policy schema.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { careShellPolicyTemplates, POLICY_TEMPLATES_DIR } from '../../main/app/careshell-policy-templates.js';

const root = path.resolve(import.meta.dirname, '../..', POLICY_TEMPLATES_DIR);
for (const [name, text] of Object.entries(careShellPolicyTemplates())) {
  const file = path.join(root, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
