import { readFile, readdir, rm, truncate } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemRandom } from '../../../../common/random.js';
import type { AuditEvent } from '../../../../main/audit/audit-event.js';
import { toFhirAuditEvent } from '../../../../main/audit/catalogue/fhir-audit-event.js';
import { AuditForwarder } from '../../../../main/audit/forwarding/audit-forwarder.js';
import { CursorStore } from '../../../../main/audit/forwarding/cursor-store.js';
import { checkpointEventFromJson, witnessFromEvent } from '../../../../main/audit/journal/checkpoint-event.js';
import { HEAD_FILE } from '../../../../main/audit/journal/journal-head.js';
import type { StoredAuditEvent } from '../../../../main/audit/journal/journal-reader.js';
import type { JournalRecord } from '../../../../main/audit/journal/journal-record.js';
import { GENESIS_HASH, sha256Hex } from '../../../../main/audit/journal/journal-record.js';
import { segmentName } from '../../../../main/audit/journal/segment-files.js';
import { verifyJournal } from '../../../../main/audit/journal/verify-journal.js';
import { journalFixture, sampleEvent } from '../support/journal-fixture.js';
import { useTeardown } from '../support/lifecycle.js';
import { until } from '../support/poll.js';

const teardown = useTeardown();

type Fixture = Awaited<ReturnType<typeof journalFixture>>;

/** A closed journal of `events` events over several small segments, checkpointed every 10 records. */
async function writtenJournal(events = 150): Promise<Fixture> {
  const f = await journalFixture({ maxSegmentBytes: 16 * 1024, checkpointEvery: 10 });
  teardown(f.cleanup);
  const journal = await f.open();
  for (let n = 0; n < events; n++) await journal.append(sampleEvent('session.unlock', n));
  await journal.close();
  return f;
}

async function segmentNames(directory: string): Promise<string[]> {
  return (await readdir(directory)).filter((name) => name.startsWith('seg-')).sort();
}

/** Every record in the journal, in order, with its line's hash. */
async function allRecords(directory: string): Promise<(JournalRecord & { hash: string; segment: string })[]> {
  const out: (JournalRecord & { hash: string; segment: string })[] = [];
  for (const segment of await segmentNames(directory)) {
    const text = await readFile(path.join(directory, segment), 'utf8');
    for (const line of text.split('\n').slice(0, -1))
      out.push({ ...(JSON.parse(line) as JournalRecord), hash: sha256Hex(line), segment });
  }
  return out;
}

/** Opens the journal again (a restart), appends one event and closes it; returns every record. */
async function restart(f: Fixture) {
  const journal = await f.open();
  await journal.append(sampleEvent('session.sign_in', 999));
  await journal.close();
  return allRecords(f.directory);
}

function resetEvent(records: JournalRecord[]): (JournalRecord & { kind: 'event' }) | undefined {
  return records.find(
    (r): r is JournalRecord & { kind: 'event' } => r.kind === 'event' && r.event.type === 'audit.journal_reset',
  );
}

function expectNoSeqUsedTwice(records: JournalRecord[]): void {
  const seqs = records.map((r) => r.seq);
  expect(new Set(seqs).size).toBe(seqs.length);
}

describe('the sealed head record', () => {
  it('is sealed by the key protector and names the journal head after close', async () => {
    const f = await writtenJournal(25);
    const records = await allRecords(f.directory);
    const last = records.at(-1)!;
    const sealed = await readFile(path.join(f.directory, HEAD_FILE));
    expect(sealed.toString('utf8')).not.toContain(last.hash);
    // The fixture's protector is the key store's: unsealing with it gives the head.
    const head = JSON.parse(f.keyStore.protector.unprotect(sealed).toString('utf8'));
    expect(head).toMatchObject({ seq: last.seq, hash: last.hash });
    expect(last.kind).toBe('checkpoint');
  });

  it('is left alone on an ordinary restart: no reset, the chain goes on', async () => {
    const f = await writtenJournal(25);
    const before = await allRecords(f.directory);
    const after = await restart(f);
    expect(resetEvent(after)).toBeUndefined();
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after[before.length]).toMatchObject({ seq: before.at(-1)!.seq + 1, prev: before.at(-1)!.hash });
    expect((await verifyJournal(f.directory, await f.keyStore.publicKeys())).ok).toBe(true);
  });
});

describe('a restart that finds the journal shorter than its sealed head', () => {
  it('after a cut back to a checkpoint: records audit.journal_reset and starts a new chain past the old head', async () => {
    const f = await writtenJournal();
    const before = await allRecords(f.directory);
    const head = before.at(-1)!;
    const lastSegment = head.segment;
    const text = await readFile(path.join(f.directory, lastSegment), 'utf8');
    const lines = text.split('\n').slice(0, -1);
    // Cut to the checkpoint before the last one: an intact, signed, shorter journal.
    const cutAt = lines.findLastIndex((line, i) => i < lines.length - 1 && line.includes('"kind":"checkpoint"'));
    expect(cutAt).toBeGreaterThanOrEqual(0);
    await truncate(path.join(f.directory, lastSegment), Buffer.byteLength(lines.slice(0, cutAt + 1).join('\n') + '\n'));
    const found = JSON.parse(lines[cutAt]!) as JournalRecord;

    const after = await restart(f);
    const reset = resetEvent(after)!;
    expect(reset).toMatchObject({
      seq: head.seq + 1,
      prev: head.hash,
      event: {
        type: 'audit.journal_reset',
        outcome: 'failure',
        details: { expectedSeq: head.seq, expectedHash: head.hash, foundSeq: found.seq, newChainSeq: head.seq + 1 },
      },
    });
    expect(reset.event.reason).toContain(
      `the journal ends at record ${found.seq}, but the sealed head record says record ${head.seq} was written`,
    );
    expect(await segmentNames(f.directory)).toContain(segmentName(head.seq + 1));
    // The reset is signed at once, and nothing reuses the cut-off numbers.
    expect(after.find((r) => r.seq === head.seq + 2)?.kind).toBe('checkpoint');
    expectNoSeqUsedTwice(after);
    expect(after.every((r) => r.seq <= found.seq || r.seq > head.seq)).toBe(true);
    // verify shows the gap where the records were cut.
    const report = await verifyJournal(f.directory, await f.keyStore.publicKeys());
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        segment: segmentName(head.seq + 1),
        seq: head.seq + 1,
        problem: expect.stringContaining(`sequence jumps from ${found.seq} to ${head.seq + 1}`),
      }),
    );
  });

  it('after the last segments were deleted: the same, and the journal_reset reaches the forwarders', async () => {
    const f = await writtenJournal();
    const before = await allRecords(f.directory);
    const head = before.at(-1)!;
    const names = await segmentNames(f.directory);
    expect(names.length).toBeGreaterThan(3);
    for (const name of names.slice(-2)) await rm(path.join(f.directory, name));

    const journal = await f.open();
    teardown(() => journal.close());
    const received: StoredAuditEvent[] = [];
    const forwarder = new AuditForwarder({
      destination: 'collector',
      journal,
      transport: { send: async (events) => void received.push(...events), close: async () => undefined },
      cursors: new CursorStore(path.join(f.root, 'cursors')),
      clock: f.clock,
      random: systemRandom,
      retry: { initialMs: 10, maxMs: 10 },
      batchSize: 500,
      audit: journal,
      workstation: 'COW-3F-12',
      log: { warn: () => undefined },
      stallAfterFailures: 10,
    });
    await forwarder.start();
    teardown(() => forwarder.stop());
    await journal.append(sampleEvent('session.sign_in', 999));
    await until(() => received.some((e) => e.event.details?.n === 999), f.clock, 'the event after the reset');
    const reset = received.find((e) => e.event.type === 'audit.journal_reset')!;
    expect(reset).toMatchObject({
      seq: head.seq + 1,
      event: { outcome: 'failure', details: { expectedSeq: head.seq } },
    });
    // Checkpoints travel too, and each one is a witness the collector can check with the installation's key.
    const checkpoints = received.filter((e) => e.event.type === 'audit.checkpoint');
    expect(checkpoints.length).toBeGreaterThan(5);
    const keys = await f.keyStore.publicKeys();
    const witness = witnessFromEvent(checkpointEventFromJson(toFhirAuditEvent(checkpoints.at(-1)!)), keys);
    const records = await allRecords(f.directory);
    expect(witness.head).toEqual({
      seq: checkpoints.at(-1)!.seq,
      hash: records.find((r) => r.seq === witness.head.seq)!.hash,
    });
    expectNoSeqUsedTwice(records);
  });
});

describe('a restart that finds no journal although the signing key exists', () => {
  it('records audit.journal_reset and goes on past the sealed head, never at record 1 again', async () => {
    const f = await writtenJournal(40);
    const head = (await allRecords(f.directory)).at(-1)!;
    for (const name of await segmentNames(f.directory)) await rm(path.join(f.directory, name));

    const after = await restart(f);
    expect(after[0]).toMatchObject({
      seq: head.seq + 1,
      prev: head.hash,
      event: { type: 'audit.journal_reset', details: { expectedSeq: head.seq, foundSeq: 0 } },
    });
    expect((after[0] as { event: AuditEvent }).event.reason).toContain(
      'no journal segments were found although the signing key exists',
    );
    const report = await verifyJournal(f.directory, await f.keyStore.publicKeys());
    expect(report.problems[0]?.problem).toBe(
      `the journal starts at record ${head.seq + 1}: the segments before it are missing`,
    );
  });

  it('with the head record deleted too: still a reset, recorded, although numbering can only restart', async () => {
    const f = await writtenJournal(40);
    await rm(f.directory, { recursive: true });
    const after = await restart(f);
    expect(after[0]).toMatchObject({
      seq: 1,
      prev: GENESIS_HASH,
      event: { type: 'audit.journal_reset', outcome: 'failure', details: { foundSeq: 0, newChainSeq: 1 } },
    });
    expect((after[0] as { event: AuditEvent }).event.reason).toContain('there is no sealed head record either');
  });

  it('a first start (no key yet) is an ordinary new journal', async () => {
    const f = await journalFixture();
    teardown(f.cleanup);
    const after = await restart(f);
    expect(resetEvent(after)).toBeUndefined();
    expect(after[0]).toMatchObject({ seq: 1, prev: GENESIS_HASH, event: { type: 'session.sign_in' } });
  });
});

describe('a head record that cannot be used', () => {
  it('is recorded as audit.journal_damaged when missing or unreadable, and the chain goes on', async () => {
    for (const damage of ['missing', 'garbled'] as const) {
      const f = await writtenJournal(25);
      const before = await allRecords(f.directory);
      const file = path.join(f.directory, HEAD_FILE);
      if (damage === 'missing') await rm(file);
      else await truncate(file, 5);
      const after = await restart(f);
      expect(resetEvent(after)).toBeUndefined();
      const damaged = after.find((r) => r.kind === 'event' && r.event.type === 'audit.journal_damaged');
      expect(damaged, damage).toMatchObject({ seq: before.at(-1)!.seq + 1, event: { outcome: 'failure' } });
      expect((damaged as { event: AuditEvent }).event.reason).toContain(HEAD_FILE);
      expect((await verifyJournal(f.directory, await f.keyStore.publicKeys())).ok).toBe(true);
    }
  });
});
