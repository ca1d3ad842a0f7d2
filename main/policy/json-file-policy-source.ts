import { messageOf } from '../../common/errors.js';
import { unreadable, type MachinePolicySource } from './machine-policy-source.js';
import { watchMachinePolicy } from './machine-policy-watcher.js';
import { readTrustedFile, type FileTrust } from './trusted-file.js';

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
  const path = options.path ?? DEFAULT_MACHINE_POLICY_PATH;
  const trust = options.trust ?? { platform: 'posix' };
  return {
    location: path,
    describe: () => `policy file ${path}`,
    async read() {
      const file = await readTrustedFile(path, trust);
      if (file.kind === 'missing') return file;
      if (file.kind === 'refused') return unreadable(file.message);
      try {
        return { kind: 'found', document: JSON.parse(file.bytes.toString('utf8')) as unknown };
      } catch (err) {
        return unreadable(`not valid JSON: ${messageOf(err)}`);
      }
    },
    watch: (watch) => watchMachinePolicy({ ...watch, path }),
  };
}
