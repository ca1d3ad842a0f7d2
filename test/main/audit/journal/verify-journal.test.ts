import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyJournal } from '../../../../main/audit/journal/verify-journal.js';
import { journalFixture, sampleEvent } from '../support/journal-fixture.js';

let f: Awaited<ReturnType<typeof journalFixture>>;
let segments: string[];

beforeAll(async () => {
  f = await journalFixture({ maxSegmentBytes: 64 * 1024 });
  const journal = await f.open();
  for (let i = 0; i < 8; i++)
    await Promise.all(
      Array.from({ length: 100 }, (_, n) => journal.append(sampleEvent('session.activity', i * 100 + n))),
    );
  await journal.close();
  segments = (await readdir(f.directory)).filter((name) => name.startsWith('seg-')).sort();
});
afterAll(() => f.cleanup());

describe('verifyJournal in worker threads', () => {
  it('gives the same answer as one thread, on an intact journal and across a broken segment boundary', async () => {
    const keys = await f.keyStore.publicKeys();
    expect(segments.length).toBeGreaterThanOrEqual(6);
    const intact = await verifyJournal(f.directory, keys, { threads: 1 });
    expect(intact.ok).toBe(true);
    expect(await verifyJournal(f.directory, keys, { threads: 3 })).toEqual(intact);
    // Every segment is scanned on its own: damage the last record of one segment, so only the link check
    // between segments (run after all threads are done) can see it.
    const boundary = Math.floor(segments.length / 3);
    const file = path.join(f.directory, segments[boundary - 1]!);
    const original = await readFile(file, 'utf8');
    const lines = original.trimEnd().split('\n');
    lines[lines.length - 1] = lines.at(-1)!.replace('"kind":"checkpoint"', '"kind":"checkpoint" ');
    await writeFile(file, `${lines.join('\n')}\n`);
    try {
      const single = await verifyJournal(f.directory, keys, { threads: 1 });
      const parallel = await verifyJournal(f.directory, keys, { threads: 3 });
      expect(parallel).toEqual(single);
      expect(single.problems.map((p) => p.segment)).toContain(segments[boundary]);
    } finally {
      await writeFile(file, original);
    }
  });

  it('reports a garbled first record of a segment where it is, with any number of threads', async () => {
    const keys = await f.keyStore.publicKeys();
    const file = path.join(f.directory, segments[2]!);
    const original = await readFile(file, 'utf8');
    // Cut the closing brace off the segment's first record: its frame can no longer be read.
    await writeFile(file, original.replace('}\n', '\n'));
    try {
      const single = await verifyJournal(f.directory, keys, { threads: 1 });
      expect(single.ok).toBe(false);
      expect(single.problems).toContainEqual({
        segment: segments[2],
        offset: 0,
        problem: 'not a well-formed journal record: it does not end with "}"',
      });
      expect(await verifyJournal(f.directory, keys, { threads: 2 })).toEqual(single);
    } finally {
      await writeFile(file, original);
    }
  });
});
