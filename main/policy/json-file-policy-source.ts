import { filePolicySource } from './file-policy-source.js';
import type { MachinePolicySource } from './machine-policy-source.js';
import type { FileTrust } from './trusted-file.js';

export const DEFAULT_MACHINE_POLICY_PATH = '/etc/careshell/policy.json';

export interface JsonFilePolicyOptions {
  /** /etc/careshell/policy.json in production; a development override elsewhere. */
  path?: string;
  trust?: FileTrust;
}

/**
 * The Linux machine policy (docs/policy.md#linux): a root-owned JSON file that nobody else can write, in a
 * folder nobody else can write, opened with O_NOFOLLOW so a symlink planted in its place is refused. Its
 * folder is watched (inotify), so a change applies while CareShell runs.
 */
export function jsonFilePolicySource(options: JsonFilePolicyOptions = {}): MachinePolicySource {
  return filePolicySource({
    path: options.path ?? DEFAULT_MACHINE_POLICY_PATH,
    trust: options.trust ?? { platform: 'posix' },
    kind: 'policy file',
    parse: (bytes) => JSON.parse(bytes.toString('utf8')) as unknown,
    syntaxError: 'not valid JSON',
  });
}
