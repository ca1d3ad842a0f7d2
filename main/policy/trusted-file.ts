import { constants, promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { messageOf } from '../../common/errors.js';

const MAX_POLICY_BYTES = 1024 * 1024;

export interface FileTrust {
  /**
   * `posix` (Linux, macOS): owner and mode bits are checked. `windows`: they mean nothing there (a normal file
   * has uid 0 and mode 0666), so only the link and size checks apply; the folder's ACL is IT's to set.
   */
  platform: 'posix' | 'windows';
  /** Owners trusted to write policy (POSIX); root only in production. Tests pass their own uid. */
  trustedOwnerUids?: readonly number[];
}

export type TrustedFileRead =
  { kind: 'missing' } | { kind: 'bytes'; bytes: Buffer } | { kind: 'refused'; message: string };

/** The owner and mode rules of docs/policy.md: whoever can write the file or its folder could change policy. */
function posixProblem(what: string, stat: { uid: number; mode: number }, trusted: readonly number[]) {
  if (!trusted.includes(stat.uid))
    return `${what} is owned by uid ${stat.uid}; it must be owned by root (chown root:root).`;
  if ((stat.mode & 0o022) !== 0)
    return `${what} is writable by group or others (mode ${(stat.mode & 0o777).toString(8)}); run chmod go-w on it.`;
  return undefined;
}

/** The folder must be as trusted as the file: whoever can write to it can rename another file over the policy. */
async function folderProblem(folder: string, trust: FileTrust, trusted: readonly number[]) {
  if (trust.platform === 'windows') return undefined;
  let stat;
  try {
    stat = await fs.stat(folder);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // No folder means no file: "not configured", reported by the open below.
    return code === 'ENOENT' ? undefined : `the policy folder ${folder} cannot be read (${code ?? messageOf(err)}).`;
  }
  return posixProblem(`the policy folder ${folder}`, stat, trusted);
}

/** Windows has no O_NOFOLLOW: a link is refused by looking first (the folder's ACL keeps others from racing it). */
async function windowsLinkProblem(path: string): Promise<string | undefined> {
  const stat = await fs.lstat(path).catch(() => undefined);
  return stat?.isSymbolicLink() ? `${path} is a symbolic link; install the policy as a regular file.` : undefined;
}

/**
 * Reads a policy file only if it can be trusted (checked on every read, not just at start): a regular file,
 * never a link, at most 1 MiB; on POSIX also owned by root and not group- or other-writable, in a folder
 * likewise. The file is only read, never rewritten.
 */
export async function readTrustedFile(path: string, trust: FileTrust): Promise<TrustedFileRead> {
  const trusted = trust.trustedOwnerUids ?? [0];
  const refused = (message: string) => ({ kind: 'refused' as const, message });
  const badFolder = await folderProblem(dirname(path), trust, trusted);
  if (badFolder) return refused(badFolder);
  const link = trust.platform === 'windows' ? await windowsLinkProblem(path) : undefined;
  if (link) return refused(link);
  const flags =
    trust.platform === 'windows'
      ? constants.O_RDONLY
      : constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, flags);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    if (code === 'ELOOP')
      return refused(`${path} is a symbolic link; install the policy as a regular file owned by root.`);
    return refused(`${path} cannot be opened (${code ?? messageOf(err)}); check its permissions.`);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return refused(`${path} is not a regular file.`);
    const badFile = trust.platform === 'posix' ? posixProblem(path, stat, trusted) : undefined;
    if (badFile) return refused(badFile);
    if (stat.size > MAX_POLICY_BYTES)
      return refused(`${path} is ${stat.size} bytes; a policy file is at most ${MAX_POLICY_BYTES}.`);
    return { kind: 'bytes', bytes: await handle.readFile() };
  } finally {
    await handle.close();
  }
}

/** The file trust rules for the OS CareShell runs on. */
export const fileTrustFor = (platform: NodeJS.Platform, trustedOwnerUids?: readonly number[]): FileTrust => ({
  platform: platform === 'win32' ? 'windows' : 'posix',
  ...(trustedOwnerUids ? { trustedOwnerUids } : {}),
});
