import { appendFile, open, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sha256Hex } from '../../../../main/audit/journal/journal-record.js';
import { readEvents } from '../../../../main/audit/journal/journal-reader.js';
import { segmentName } from '../../../../main/audit/journal/segment-files.js';
import { verifyJournal } from '../../../../main/audit/journal/verify-journal.js';
import { journalFixture, sampleEvent } from '../support/journal-fixture.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function fixture(settings: Parameters<typeof journalFixture>[0] = {}) {
  const f = await journalFixture(settings);
  cleanup = f.cleanup;
  return f;
}

async function allEvents(directory: string) {
  return (await readEvents(directory, undefined, { maxEvents: 1_000_000 })).events;
}

describe('AuditJournal', () => {
  it('stores concurrent appends in order with consecutive seq, unique ids and an intact, signed chain', async () => {
    const f = await fixture();
    const journal = await f.open();
    const receipts = await Promise.all(
      Array.from({ length: 500 }, (_, n) => journal.record(sampleEvent('session.lock', n))),
    );
    await journal.close();
    expect(receipts.map((r) => r.seq)).toEqual(Array.from({ length: 500 }, (_, n) => n + 1));
    expect(new Set(receipts.map((r) => r.id)).size).toBe(500);
    const events = await allEvents(f.directory);
    expect(events.map((e) => e.event.details?.n)).toEqual(Array.from({ length: 500 }, (_, n) => n));
    const report = await verifyJournal(f.directory, await f.keyStore.publicKeys());
    expect(report).toMatchObject({ ok: true, events: 500, checkpoints: 1, unsignedRecords: 0, lastSeq: 501 });
  });

  it('has the record on disk when append resolves (a second reader sees it at once)', async () => {
    const f = await fixture();
    const journal = await f.open();
    await journal.append(sampleEvent('session.sign_in', 7));
    const [stored] = await allEvents(f.directory);
    expect(stored?.event).toEqual(sampleEvent('session.sign_in', 7));
    await journal.close();
  });

  it('rotates segments by size, ends each full segment with a checkpoint, and chains across them', async () => {
    const f = await fixture({ maxSegmentBytes: 64 * 1024, checkpointEvery: 100_000 });
    const journal = await f.open();
    for (let i = 0; i < 10; i++)
      await Promise.all(
        Array.from({ length: 100 }, (_, n) => journal.append(sampleEvent('session.unlock', i * 100 + n))),
      );
    await journal.close();
    const segments = (await readdir(f.directory)).filter((name) => name.startsWith('seg-')).sort();
    expect(segments.length).toBeGreaterThan(3);
    for (const name of segments.slice(0, -1)) {
      const size = (await stat(path.join(f.directory, name))).size;
      expect(size).toBeLessThan(64 * 1024 + 1024);
      const lines = (await readFile(path.join(f.directory, name), 'utf8')).trimEnd().split('\n');
      expect(JSON.parse(lines.at(-1)!).kind).toBe('checkpoint');
    }
    const report = await verifyJournal(f.directory, await f.keyStore.publicKeys());
    expect(report).toMatchObject({ ok: true, events: 1000, segments: segments.length });
  });

  it('counts the segment size in UTF-8 bytes, so non-ASCII events do not overfill a segment', async () => {
    const f = await fixture({ maxSegmentBytes: 64 * 1024, checkpointEvery: 100_000 });
    const journal = await f.open();
    // 600 UTF-16 units but 1,800 bytes of UTF-8 in each record's reason.
    const reason = '€'.repeat(600);
    await Promise.all(
      Array.from({ length: 100 }, (_, n) => journal.append(sampleEvent('session.unlock', n, { reason }))),
    );
    await journal.close();
    const segments = (await readdir(f.directory)).filter((name) => name.startsWith('seg-')).sort();
    expect(segments.length).toBeGreaterThan(2);
    for (const name of segments)
      expect((await stat(path.join(f.directory, name))).size).toBeLessThan(64 * 1024 + 3 * 1024);
    expect((await verifyJournal(f.directory, await f.keyStore.publicKeys())).ok).toBe(true);
  });

  it('signs a checkpoint after checkpointEvery records and after checkpointIntervalMs on the injected clock', async () => {
    const f = await fixture({ checkpointEvery: 10, checkpointIntervalMs: 5_000 });
    const journal = await f.open();
    for (let n = 0; n < 13; n++) await journal.append(sampleEvent('session.activity', n));
    let report = await verifyJournal(f.directory, await f.keyStore.publicKeys());
    expect(report).toMatchObject({ ok: true, checkpoints: 1, unsignedRecords: 3 });
    f.clock.advance(4_999);
    await new Promise((resolve) => setImmediate(resolve));
    expect((await verifyJournal(f.directory, await f.keyStore.publicKeys())).checkpoints).toBe(1);
    f.clock.advance(1);
    await journal.checkpoint(); // waits behind the timer's checkpoint, which leaves nothing unsigned
    report = await verifyJournal(f.directory, await f.keyStore.publicKeys());
    expect(report).toMatchObject({ ok: true, checkpoints: 2, unsignedRecords: 0 });
    await journal.close();
  });

  it('on close, writes and signs what was appended before it and refuses what comes after, without breaking', async () => {
    const f = await fixture();
    const journal = await f.open();
    const before = journal.record(sampleEvent('session.lock', 1));
    const closing = journal.close();
    const sameTick = journal.append(sampleEvent('session.lock', 2));
    const nextTick = new Promise((resolve) => setImmediate(resolve)).then(() =>
      journal.append(sampleEvent('session.lock', 3)),
    );
    const [first, second, third] = await Promise.allSettled([before, sameTick, nextTick]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { seq: 1 } });
    expect(second).toMatchObject({
      status: 'rejected',
      reason: {
        message: expect.stringContaining(
          'is closing or closed (CareShell is shutting down); the event was not recorded',
        ),
      },
    });
    expect(third).toMatchObject({
      status: 'rejected',
      reason: { message: expect.stringContaining('is closing or closed') },
    });
    await closing;
    await expect(journal.close()).resolves.toBeUndefined();
    expect((await allEvents(f.directory)).map((e) => e.event.details?.n)).toEqual([1]);
    const report = await verifyJournal(f.directory, await f.keyStore.publicKeys());
    expect(report).toMatchObject({ ok: true, events: 1, checkpoints: 1, unsignedRecords: 0 });
  });

  it('continues the chain after reopening', async () => {
    const f = await fixture();
    let journal = await f.open();
    await journal.append(sampleEvent('session.sign_in', 1));
    await journal.close();
    journal = await f.open();
    await journal.append(sampleEvent('session.sign_out', 2));
    await journal.close();
    expect((await allEvents(f.directory)).map((e) => e.event.type)).toEqual(['session.sign_in', 'session.sign_out']);
    expect((await verifyJournal(f.directory, await f.keyStore.publicKeys())).ok).toBe(true);
  });

  it('cuts a torn final record on open and records the cut as an audit event', async () => {
    const f = await fixture();
    let journal = await f.open();
    await journal.append(sampleEvent('session.sign_in', 1));
    await journal.close();
    const [segment] = (await readdir(f.directory)).filter((name) => name.startsWith('seg-'));
    const file = path.join(f.directory, segment!);
    const goodSize = (await stat(file)).size;
    await appendFile(file, '{"event":{"actor":{"userId":"half-writ');
    expect((await verifyJournal(f.directory, await f.keyStore.publicKeys())).problems[0]).toMatchObject({
      segment,
      offset: goodSize,
    });
    journal = await f.open();
    expect(journal.openReport.torn).toMatchObject({ segment, offset: goodSize, bytes: 38 });
    await journal.close();
    const events = await allEvents(f.directory);
    expect(events.map((e) => e.event.type)).toEqual(['session.sign_in', 'audit.record_truncated']);
    expect(events[1]!.event.details).toMatchObject({ segment, offset: goodSize, bytes: 38 });
    expect((await verifyJournal(f.directory, await f.keyStore.publicKeys())).ok).toBe(true);
  });

  it('reports damage before the tail on open as audit.journal_damaged and keeps the damaged bytes', async () => {
    const f = await fixture();
    let journal = await f.open();
    for (let n = 0; n < 3; n++) await journal.append(sampleEvent('session.lock', n));
    await journal.close();
    const [segment] = (await readdir(f.directory)).filter((name) => name.startsWith('seg-'));
    const file = path.join(f.directory, segment!);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"n":1', '"n":9'));
    journal = await f.open();
    expect(journal.openReport.problems).toHaveLength(1);
    await journal.close();
    const events = await allEvents(f.directory);
    const damage = events.find((e) => e.event.type === 'audit.journal_damaged');
    expect(damage?.event).toMatchObject({
      outcome: 'failure',
      details: { segment, offset: text.indexOf('\n', text.indexOf('"n":1')) + 1 },
    });
    expect(events.filter((e) => e.event.type === 'session.lock')).toHaveLength(3);
  });

  it('after a failed write refuses only the events that write carried: the rest of the batch is written and acknowledged', async () => {
    const f = await fixture({ maxSegmentBytes: 64 * 1024, checkpointEvery: 100_000 });
    const journal = await f.open();
    const probe = await open(path.join(f.root, 'probe'), 'w');
    const fileHandle = Object.getPrototypeOf(probe) as { write: typeof probe.write };
    await probe.close();
    // The first commit fills the segment and leaves the rest of the batch queued; its write fails.
    const write = vi.spyOn(fileHandle, 'write').mockRejectedValueOnce(new Error('ENOSPC: no space left on device'));
    let results: PromiseSettledResult<unknown>[];
    try {
      results = await Promise.allSettled(
        Array.from({ length: 300 }, (_, n) =>
          journal.record(sampleEvent('session.unlock', n, { reason: 'x'.repeat(400) })),
        ),
      );
    } finally {
      write.mockRestore();
    }
    await journal.close();
    const refused = results.flatMap((r, n) => (r.status === 'rejected' ? [n] : []));
    const acknowledged = results.flatMap((r, n) => (r.status === 'fulfilled' ? [n] : []));
    expect(refused.length).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThan(0);
    expect((results[refused[0]!] as PromiseRejectedResult).reason.message).toContain('no space left on device');
    const stored = (await allEvents(f.directory)).map((e) => e.event.details?.n);
    expect(stored).toEqual(acknowledged);
    expect((await verifyJournal(f.directory, await f.keyStore.publicKeys())).ok).toBe(true);
  });

  it('after a crash right after rotating, continues from the true head of the segment before and reports its damaged last record', async () => {
    const f = await fixture({ maxSegmentBytes: 64 * 1024 });
    let journal = await f.open();
    await Promise.all(Array.from({ length: 300 }, (_, n) => journal.append(sampleEvent('session.lock', n))));
    await journal.close();
    const previous = (await readdir(f.directory))
      .filter((name) => name.startsWith('seg-'))
      .sort()
      .at(-1)!;
    const text = await readFile(path.join(f.directory, previous), 'utf8');
    const lastLineOffset = Buffer.byteLength(text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1));
    const lastLine = text.slice(lastLineOffset, -1);
    const headSeq = JSON.parse(lastLine).seq as number;
    // The rotation created the next segment, then the machine died; the record before it is garbled.
    const garbled = lastLine.replace('"kind":"checkpoint"', '"kind":"chekpoint"');
    await writeFile(path.join(f.directory, previous), text.slice(0, lastLineOffset) + garbled + '\n');
    await writeFile(path.join(f.directory, segmentName(headSeq + 1)), '');

    journal = await f.open();
    expect(journal.openReport.problems).toEqual([
      {
        segment: previous,
        offset: lastLineOffset,
        problem: 'not a well-formed journal record: it is neither an event nor a checkpoint record',
      },
    ]);
    await journal.close();
    const [first] = (await readFile(path.join(f.directory, segmentName(headSeq + 1)), 'utf8'))
      .split('\n')
      .map((line) => (line ? JSON.parse(line) : undefined));
    expect(first).toMatchObject({
      seq: headSeq + 1,
      prev: sha256Hex(garbled),
      event: {
        type: 'audit.journal_damaged',
        outcome: 'failure',
        details: { segment: previous, offset: lastLineOffset },
      },
    });
  });

  it('rejects an event that cannot be stored without failing the others in its commit', async () => {
    const f = await fixture();
    const journal = await f.open();
    const results = await Promise.allSettled([
      journal.append(sampleEvent('pin.failure', 1)),
      journal.append(sampleEvent('pin.failure', 2, { details: { bad: Number.NaN } })),
      journal.append(sampleEvent('pin.failure', 3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toContain('$.event.details.bad is NaN');
    await journal.close();
    await expect(journal.append(sampleEvent())).rejects.toThrow('closed');
    expect((await verifyJournal(f.directory, await f.keyStore.publicKeys())).ok).toBe(true);
  });
});
