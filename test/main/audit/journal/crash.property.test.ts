import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalPosition } from '../../../../main/audit/journal/audit-journal.js';
import { readEvents } from '../../../../main/audit/journal/journal-reader.js';
import { verifyJournal } from '../../../../main/audit/journal/verify-journal.js';
import { journalFixture } from '../support/journal-fixture.js';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const KILLS = 200;
const LANES = 2;
/** Every TEAR_EVERY-th kill of a lane lands inside a write (the others wherever the appender happens to be). */
const TEAR_EVERY = 8;
let compiled: string;

/**
 * Transpiles the journal's sources to plain JS once, so each child starts in ~0.15 s (through tsx's loader
 * a start-up costs ~0.6 s, and 200 of them would not fit the time budget).
 */
async function transpileJournal(target: string): Promise<void> {
  const sources = [
    ...(await readdir(path.join(ROOT, 'main/audit/journal'))).map((f) => `main/audit/journal/${f}`),
    ...(await readdir(path.join(ROOT, 'main/audit/keys'))).map((f) => `main/audit/keys/${f}`),
    'main/audit/audit-event.ts',
    'main/audit/atomic-file.ts',
    'common/clock.ts',
    'common/errors.ts',
    'common/random.ts',
  ].filter((file) => file.endsWith('.ts'));
  for (const file of sources) {
    const { outputText } = ts.transpileModule(await readFile(path.join(ROOT, file), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    await mkdir(path.dirname(path.join(target, file)), { recursive: true });
    await writeFile(path.join(target, file.replace(/\.ts$/, '.js')), outputText);
  }
}

/** A small seeded PRNG (mulberry32), so a failing run's kill points can be replayed with its seed. */
function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Run {
  acknowledged: number[];
}

/**
 * Starts the appender and SIGKILLs it. "race": after `after` acknowledged appends (0: as soon as the journal
 * is open), wherever it then is. "tear": after `after` appends, in the middle of writing the next commit.
 */
function appendUntilKilled(
  directory: string,
  keys: string,
  first: number,
  mode: 'race' | 'tear',
  after: number,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(import.meta.dirname, 'crash-appender.mjs'),
        compiled,
        directory,
        keys,
        String(first),
        mode,
        String(after),
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const acknowledged: number[] = [];
    let buffered = '';
    let stderr = '';
    let open = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line === 'open') open = true;
        else if (line === 'torn') child.kill('SIGKILL');
        else acknowledged.push(Number(line));
      }
      if (mode === 'race' && open && acknowledged.length >= after) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the appender exited on its own (code ${code}): ${stderr}`));
      else resolve({ acknowledged });
    });
  });
}

describe('crash safety', () => {
  beforeAll(async () => {
    compiled = path.join(ROOT, '.tmp', `audit-crash-${process.pid}`);
    await transpileJournal(compiled);
  });
  afterAll(() => rm(compiled, { recursive: true, force: true }));

  it(`keeps every acknowledged event and an intact chain across ${KILLS} SIGKILLs, some inside a write`, async () => {
    const seed = Number(process.env.CRASH_TEST_SEED ?? randomInt(2 ** 31));
    console.log(`crash test seed ${seed} (replay the kill points with CRASH_TEST_SEED=${seed})`);
    const lanes = await Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        const random = seededRandom(seed + lane);
        const f = await journalFixture(
          { maxSegmentBytes: 1024 * 1024, checkpointEvery: 50 },
          { name: 'none (crash test)', protect: (b) => b, unprotect: (b) => b },
        );
        // The appender starts on an existing journal (a first start makes its key, first segment and head record).
        await (await f.open()).close();
        const keys = await f.keyStore.publicKeys();
        let position: JournalPosition | undefined;
        let torn = 0;
        let tears = 0;
        let truncatedEvents = 0;
        let acknowledgedTotal = 0;
        try {
          for (let kill = 0; kill < KILLS / LANES; kill++) {
            const first = (lane * 1000 + kill) * 100_000;
            const mode = kill % TEAR_EVERY === TEAR_EVERY - 1 ? 'tear' : 'race';
            if (mode === 'tear') tears++;
            const { acknowledged } = await appendUntilKilled(
              f.directory,
              f.keysDirectory,
              first,
              mode,
              Math.floor(random() * (mode === 'tear' ? 5 : 41)),
            );
            acknowledgedTotal += acknowledged.length;
            // Reopen as the app would after the crash: cut a torn tail (and record the cut), then close.
            const journal = await f.open();
            if (journal.openReport.torn) torn++;
            expect(journal.openReport.problems, `seed ${seed}, lane ${lane}, kill ${kill}`).toEqual([]);
            await journal.close();
            // Opening re-checked the chain of the segment being written; the whole journal is checked every 25 kills.
            if (kill % 25 === 24)
              expect(
                (await verifyJournal(f.directory, keys)).problems,
                `seed ${seed}, lane ${lane}, kill ${kill}`,
              ).toEqual([]);
            const { events, next } = await readEvents(f.directory, position, { maxEvents: 1_000_000 });
            position = next;
            truncatedEvents += events.filter((e) => e.event.type === 'audit.record_truncated').length;
            // The sealed head record never runs ahead of what is durable: no crash looks like a cut journal.
            expect(
              events.filter((e) => e.event.type === 'audit.journal_reset' || e.event.type === 'audit.journal_damaged'),
              `seed ${seed}, lane ${lane}, kill ${kill}`,
            ).toEqual([]);
            const stored = new Set(
              events.filter((e) => e.event.type === 'session.activity').map((e) => e.event.details!.n),
            );
            const missing = acknowledged.filter((n) => !stored.has(n));
            expect(missing, `seed ${seed}, lane ${lane}, kill ${kill}: acknowledged but not in the journal`).toEqual(
              [],
            );
          }
        } finally {
          await f.cleanup();
        }
        return { torn, tears, truncatedEvents, acknowledgedTotal };
      }),
    );
    const torn = lanes.reduce((sum, l) => sum + l.torn, 0);
    const tears = lanes.reduce((sum, l) => sum + l.tears, 0);
    const truncatedEvents = lanes.reduce((sum, l) => sum + l.truncatedEvents, 0);
    const acknowledged = lanes.reduce((sum, l) => sum + l.acknowledgedTotal, 0);
    console.log(
      `crash test: ${KILLS} SIGKILLs (${tears} inside a write), ${acknowledged} acknowledged events all present, ${torn} torn tails cut on reopen`,
    );
    expect(acknowledged).toBeGreaterThan(KILLS * 5);
    // Every kill inside a write tore a record (a random kill may too), and each cut is in the journal as an event.
    expect(tears).toBeGreaterThan(0);
    expect(torn, `seed ${seed}`).toBeGreaterThanOrEqual(tears);
    expect(truncatedEvents, `seed ${seed}`).toBe(torn);
  }, 120_000);
});
