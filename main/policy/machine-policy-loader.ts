import { constants, promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { messageOf } from '../../common/errors.js';
import type { z } from 'zod';
import { basePolicyRootSchema } from './policy-root.js';
import { problemsFromZod, type PolicyProblem } from './policy-problem.js';

export const DEFAULT_MACHINE_POLICY_PATH = '/etc/careshell/policy.json';
const MAX_POLICY_BYTES = 1024 * 1024;

export type MachinePolicyLoad<T> =
  /** `policy` is undefined when no machine policy is installed (defaults and user preferences apply). */
  { ok: true; policy: T | undefined; path: string } | { ok: false; problems: PolicyProblem[]; path: string };

export interface MachinePolicyOptions<S extends z.ZodType> {
  /** Override for tests and the demo; production reads /etc/careshell/policy.json. */
  path?: string;
  /** The root schema (buildPolicyRootSchema with every area's sections). */
  schema?: S;
  /** Owners trusted to write policy; root only in production. Tests pass their own uid. */
  trustedOwnerUids?: readonly number[];
}

/**
 * The folder must be as trusted as the file: whoever can write to it can rename another file over the
 * policy or delete it. Checked on every read, not just at start.
 */
async function folderProblem(folder: string, trusted: readonly number[]): Promise<string | undefined> {
  let stat;
  try {
    stat = await fs.stat(folder);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // No folder means no file: "not configured", reported by the open below.
    return code === 'ENOENT' ? undefined : `the policy folder ${folder} cannot be read (${code ?? messageOf(err)}).`;
  }
  if (!trusted.includes(stat.uid))
    return `the policy folder ${folder} is owned by uid ${stat.uid}; it must be owned by root (chown root:root).`;
  if ((stat.mode & 0o022) !== 0) {
    return `the policy folder ${folder} is writable by group or others (mode ${(stat.mode & 0o7777).toString(8)}); run chmod go-w on it.`;
  }
  return undefined;
}

/**
 * Linux machine policy (docs/design.md#policy): a root-owned JSON file that nobody else can write, in a folder nobody
 * else can write, opened with O_NOFOLLOW so a symlink planted in its place is refused. Fails closed: any problem is returned with the
 * exact key path and the caller keeps the workstation locked. The file is only read, never rewritten.
 */
export async function loadMachinePolicy<S extends z.ZodType = typeof basePolicyRootSchema>(
  options: MachinePolicyOptions<S> = {},
): Promise<MachinePolicyLoad<z.infer<S>>> {
  const path = options.path ?? DEFAULT_MACHINE_POLICY_PATH;
  const schema = (options.schema ?? basePolicyRootSchema) as z.ZodType;
  const trusted = options.trustedOwnerUids ?? [0];
  const fail = (message: string, at = '(file)') => ({ ok: false as const, path, problems: [{ path: at, message }] });

  const badFolder = await folderProblem(dirname(path), trusted);
  if (badFolder) return fail(badFolder);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: true, policy: undefined, path };
    if (code === 'ELOOP')
      return fail(`${path} is a symbolic link; install the policy as a regular file owned by root.`);
    return fail(`${path} cannot be opened (${code ?? String(err)}); check its permissions.`);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return fail(`${path} is not a regular file.`);
    if (!trusted.includes(stat.uid))
      return fail(`${path} is owned by uid ${stat.uid}; it must be owned by root (chown root:root).`);
    if ((stat.mode & 0o022) !== 0) {
      return fail(
        `${path} is writable by group or others (mode ${(stat.mode & 0o777).toString(8)}); run chmod go-w on it.`,
      );
    }
    if (stat.size > MAX_POLICY_BYTES)
      return fail(`${path} is ${stat.size} bytes; a policy file is at most ${MAX_POLICY_BYTES}.`);
    const text = await handle.readFile({ encoding: 'utf8' });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      return fail(`not valid JSON: ${messageOf(err)}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) return { ok: false, path, problems: problemsFromZod(parsed.error) };
    return { ok: true, policy: parsed.data as z.infer<S>, path };
  } finally {
    await handle.close();
  }
}
