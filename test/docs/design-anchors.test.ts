import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Code comments cite docs/design.md by section ("docs/design.md#session-semantics"); a renamed heading would
// leave them pointing nowhere, so every citation in the tree must name a heading that exists.
const ROOT = path.resolve(import.meta.dirname, '../..');
const SKIPPED = new Set(['node_modules', '.git', 'out', 'dist', '.tmp', 'test-results', 'results']);
const SCANNED = /\.(ts|tsx|js|mjs|cjs|md|yml|json|html|css)$/;
const STABLE = ['layers', 'session-semantics', 'readers', 'audit', 'identity', 'policy', 'hardening'];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slugOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{Letter}\p{Number} -]/gu, '')
    .replace(/ /g, '-');
}

async function anchorsOfDesign(): Promise<Set<string>> {
  const text = await readFile(path.join(ROOT, 'docs/design.md'), 'utf8');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((match) => slugOf(match[1]!)));
}

async function* filesUnder(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile() && SCANNED.test(entry.name) && entry.name !== 'package-lock.json') yield full;
  }
}

describe('docs/design.md anchors', () => {
  it('has the sections code comments rely on', async () => {
    const anchors = await anchorsOfDesign();
    expect(STABLE.filter((anchor) => !anchors.has(anchor))).toEqual([]);
  });

  it('names an existing heading wherever the tree cites one', async () => {
    const anchors = await anchorsOfDesign();
    const citations: string[] = [];
    const broken: string[] = [];
    for await (const file of filesUnder(ROOT)) {
      const text = await readFile(file, 'utf8');
      for (const match of text.matchAll(/design\.md#([\w-]+)/g)) {
        const where = `${path.relative(ROOT, file)}: #${match[1]}`;
        citations.push(where);
        if (!anchors.has(match[1]!)) broken.push(where);
      }
    }
    expect(broken).toEqual([]);
    // The scan itself found the citations (a wrong root or pattern would pass with nothing checked).
    expect(citations.length).toBeGreaterThan(20);
  });
});
