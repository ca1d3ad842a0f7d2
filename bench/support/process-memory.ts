import { readdirSync, readFileSync } from 'node:fs';

/*
 * Process memory from Linux's /proc, for benchmarks that measure other processes (a browser's renderers).
 * PSS (proportional set size) charges each shared page to its sharers in part, so the PSS of several
 * processes adds up to what they cost together, which their RSS does not.
 */

/** Why /proc cannot be read here, or undefined when it can. */
export const procMissingReason = (): string | undefined =>
  process.platform === 'linux' ? undefined : `process memory is read from /proc, which ${process.platform} has not`;

/** Every live descendant of `pid` with its command line (children, grandchildren, ...). */
export function descendants(pid: number): { pid: number; cmdline: string }[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    // The command name may hold spaces and parentheses: fields resume after its last ')'.
    const ppid = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : NaN;
    if (Number.isInteger(ppid)) parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
  }
  const found: { pid: number; cmdline: string }[] = [];
  const visit = (parent: number) => {
    for (const child of parents.get(parent) ?? []) {
      found.push({ pid: child, cmdline: (read(`/proc/${child}/cmdline`) ?? '').replaceAll('\0', ' ') });
      visit(child);
    }
  };
  visit(pid);
  return found;
}

/** The process's proportional set size in MiB, or 0 when it has already exited. */
export function pssMb(pid: number): number {
  const rollup = read(`/proc/${pid}/smaps_rollup`);
  const kb = rollup ? Number(/^Pss:\s+(\d+) kB$/m.exec(rollup)?.[1] ?? 0) : 0;
  return kb / 1024;
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined; // the process exited while we looked
  }
}
