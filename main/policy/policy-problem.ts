import type { z } from 'zod';

/** One thing wrong with a policy: the exact key path (dot-separated) and what is wrong with it. */
export interface PolicyProblem {
  path: string;
  message: string;
}

export function problemsFromZod(error: z.ZodError, prefix: readonly (string | number)[] = []): PolicyProblem[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
    const path = [...prefix, ...issue.path.map(String)].join('.') || '(root)';
    return { path, message: `${issue.message}${keys}` };
  });
}

/** Text an IT administrator can act on: one line per problem. */
export function describeProblems(source: string, problems: readonly PolicyProblem[]): string {
  return [
    `${source} is invalid; the workstation stays locked until it is corrected:`,
    ...problems.map((p) => `- ${p.path}: ${p.message}`),
  ].join('\n');
}
