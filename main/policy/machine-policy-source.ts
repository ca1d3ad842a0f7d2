import type { z } from 'zod';
import type { Clock } from '../../common/clock.js';
import { assertNever } from '../../common/errors.js';
import { basePolicyRootSchema } from './policy-root.js';
import { problemsFromZod, type PolicyProblem } from './policy-problem.js';

/** What a source found, before validation: every OS's source hands the same JSON-shaped document on. */
export type MachinePolicyDocument =
  /** Nothing is installed: "not configured", never the built-in defaults. */
  | { kind: 'missing' }
  | { kind: 'found'; document: unknown }
  /** The policy is there but cannot be trusted or read (owner, permissions, syntax, a reader that cannot load). */
  | { kind: 'unreadable'; problems: PolicyProblem[] };

export interface MachinePolicyWatch {
  clock: Clock;
  log: { warn(message: string): void };
  /** Called once the policy has been quiet for a moment after a change. */
  onChange(): void;
}

/**
 * Where IT puts the machine policy on one OS (docs/policy.md#where-each-os-keeps-it): the Linux file, the
 * Windows registry's Group Policy key, macOS managed preferences. Sources only read and watch; validation is
 * the same for all (loadMachinePolicy), so every OS fails closed the same way.
 */
export interface MachinePolicySource {
  /** Where IT installs the policy, as an administrator names it: a path, a registry key. */
  readonly location: string;
  /** One line for logs and health: which kind of source, and where. */
  describe(): string;
  read(): Promise<MachinePolicyDocument>;
  /** Follows changes made while CareShell runs; returns a function that stops following. */
  watch(options: MachinePolicyWatch): () => void;
}

export type MachinePolicyLoad<T> =
  /** `policy` is undefined when no machine policy is installed (the caller decides what that means). */
  { ok: true; policy: T | undefined; location: string } | { ok: false; problems: PolicyProblem[]; location: string };

/** Reads a source and validates what it found against the root schema: any problem names its key path. */
export async function loadMachinePolicy<S extends z.ZodType = typeof basePolicyRootSchema>(
  source: MachinePolicySource,
  schema?: S,
): Promise<MachinePolicyLoad<z.infer<S>>> {
  const location = source.location;
  const read = await source.read();
  switch (read.kind) {
    case 'missing':
      return { ok: true, policy: undefined, location };
    case 'unreadable':
      return { ok: false, problems: read.problems, location };
    case 'found': {
      const parsed = ((schema ?? basePolicyRootSchema) as z.ZodType).safeParse(read.document);
      if (!parsed.success) return { ok: false, problems: problemsFromZod(parsed.error), location };
      return { ok: true, policy: parsed.data as z.infer<S>, location };
    }
    default:
      return assertNever(read, 'policy read');
  }
}

/** A problem with the policy as a whole (not one key). */
export const unreadable = (message: string): MachinePolicyDocument => ({
  kind: 'unreadable',
  problems: [{ path: '(file)', message }],
});
