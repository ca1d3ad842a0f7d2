import { messageOf } from '../../common/errors.js';
import { unreadable, type MachinePolicySource } from './machine-policy-source.js';
import { watchMachinePolicy } from './machine-policy-watcher.js';
import { readTrustedFile, type FileTrust } from './trusted-file.js';

export interface FilePolicySourceOptions {
  path: string;
  trust: FileTrust;
  /** How an administrator names this kind of file: "policy file", "managed preferences". */
  kind: string;
  /** The file's bytes as the policy document; throws what is wrong with the syntax. */
  parse(bytes: Buffer): unknown;
  /** "not valid JSON", "not a valid property list": said before the parser's own message. */
  syntaxError: string;
}

/**
 * A policy kept in one file (Linux JSON, macOS managed preferences): read only when it can be trusted
 * (trusted-file.ts), followed by watching its folder, so a file replaced by a rename is seen too.
 */
export function filePolicySource(options: FilePolicySourceOptions): MachinePolicySource {
  const { path, trust } = options;
  return {
    location: path,
    describe: () => `${options.kind} ${path}`,
    async read() {
      const file = await readTrustedFile(path, trust);
      if (file.kind === 'missing') return file;
      if (file.kind === 'refused') return unreadable(file.message);
      try {
        return { kind: 'found', document: options.parse(file.bytes) };
      } catch (err) {
        return unreadable(`${options.syntaxError}: ${messageOf(err)}`);
      }
    },
    watch: (watch) => watchMachinePolicy({ ...watch, path }),
  };
}
