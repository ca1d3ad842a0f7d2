import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Nearest-rank percentile of a sample (p in 0..100): an array or a typed array of any size. */
export function percentile(samples: ArrayLike<number>, p: number): number {
  if (samples.length === 0) throw new Error('percentile of an empty sample');
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/**
 * Every benchmark ends the same way: its figures go to bench/results/<name>.json, and the same figures
 * are printed as one JSON line, last, for CI logs and anyone comparing runs.
 */
export function reportBench(name: string, figures: Record<string, unknown>): void {
  const dir = path.resolve(import.meta.dirname, '../results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}
