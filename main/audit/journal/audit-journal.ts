import { mkdir, open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Clock } from '../../../common/clock.js';
import { messageOf } from '../../../common/errors.js';
import type { Random } from '../../../common/random.js';
import type { AuditEvent, AuditSink } from '../audit-event.js';
import type { AuditKeyStore, AuditSigningKey } from '../keys/audit-key-store.js';
import { canonicalJson } from './canonical-json.js';
import { signCheckpoint } from './checkpoint.js';
import { sha256Hex } from './journal-record.js';
import type { HeadFinding } from './head-check.js';
import { openAgainstHead } from './head-check.js';
import { SealedHeadFile } from './journal-head.js';
import type { RecoveredJournal } from './journal-recovery.js';
import type { ChainHead } from './segment-chain-scan.js';
import { segmentName, segmentPath, syncDirectory } from './segment-files.js';

export interface JournalSettings {
  /** A segment is closed (with a checkpoint) and a new one started once it reaches this size. */
  maxSegmentBytes: number;
  /** A signed checkpoint is written after this many records... */
  checkpointEvery: number;
  /** ...or this long after the first unsigned record, whichever comes first. */
  checkpointIntervalMs: number;
}

export const DEFAULT_JOURNAL_SETTINGS: JournalSettings = {
  maxSegmentBytes: 16 * 1024 * 1024,
  checkpointEvery: 1000,
  checkpointIntervalMs: 60_000,
};

export interface AuditJournalOptions extends Partial<JournalSettings> {
  directory: string;
  keyStore: AuditKeyStore;
  clock: Clock;
  random: Random;
  /** Names this workstation in the events the journal writes about itself (e.g. a cut torn record). */
  workstation: string;
}

/** A byte position in the journal: forwarders keep one per destination. `seq` is the record just before it. */
export interface JournalPosition {
  segment: string;
  offset: number;
  seq: number;
}

export interface JournalReceipt {
  id: string;
  seq: number;
}

/** What a store-and-forward reader needs from the live journal. */
export interface JournalFeed {
  readonly directory: string;
  durableHead(): JournalPosition;
  /** Called after each group commit; returns the unsubscribe function. */
  onDurable(listener: (head: JournalPosition) => void): () => void;
}

type Pending =
  | { kind: 'event'; event: AuditEvent; resolve: (receipt: JournalReceipt) => void; reject: (error: Error) => void }
  | { kind: 'checkpoint'; resolve: () => void; reject: (error: Error) => void };

/** Upper bound on records per write+fsync, so one commit never holds a huge buffer. */
const MAX_BATCH = 4096;

/**
 * The tamper-evident audit journal (docs/design.md#audit): append-only segment files of hash-chained records,
 * signed checkpoints, rotation by size. `append` resolves only after the record is on disk: concurrent
 * appends are grouped into one write and one fdatasync (group commit), so durability costs one disk flush
 * per batch rather than per event.
 */
export class AuditJournal implements AuditSink, JournalFeed {
  private readonly queue: Pending[] = [];
  private readonly listeners = new Set<(head: JournalPosition) => void>();
  private flushing = false;
  /** The flush loop running (or last run): close waits for it before closing the file. */
  private flushed: Promise<void> = Promise.resolve();
  private closing?: Promise<void>;
  private broken?: Error;
  private cancelCheckpointTimer?: () => void;

  private constructor(
    readonly directory: string,
    private readonly settings: JournalSettings,
    private readonly options: AuditJournalOptions,
    private readonly key: AuditSigningKey,
    private handle: FileHandle,
    private segment: string,
    private size: number,
    private head: ChainHead,
    private sinceCheckpoint: number,
    /** What opening found: a cut torn record and damage in the last segment (also recorded as events). */
    readonly openReport: Pick<RecoveredJournal, 'torn' | 'problems'>,
    /** The sealed head record, rewritten after every checkpoint (journal-head.ts). */
    private readonly witness: SealedHeadFile,
  ) {}

  static async open(options: AuditJournalOptions): Promise<AuditJournal> {
    const settings: JournalSettings = {
      maxSegmentBytes: options.maxSegmentBytes ?? DEFAULT_JOURNAL_SETTINGS.maxSegmentBytes,
      checkpointEvery: options.checkpointEvery ?? DEFAULT_JOURNAL_SETTINGS.checkpointEvery,
      checkpointIntervalMs: options.checkpointIntervalMs ?? DEFAULT_JOURNAL_SETTINGS.checkpointIntervalMs,
    };
    await mkdir(options.directory, { recursive: true, mode: 0o700 });
    const key = await options.keyStore.signingKey();
    const witness = new SealedHeadFile(options.directory, options.keyStore.protector);
    const { recovered, finding } = await openAgainstHead(options.directory, await witness.read(), key.created);
    const handle = await open(segmentPath(options.directory, recovered.segment), 'a', 0o600);
    const journal = new AuditJournal(
      options.directory,
      settings,
      options,
      key,
      handle,
      recovered.segment,
      recovered.size,
      recovered.head,
      recovered.recordsSinceCheckpoint,
      { torn: recovered.torn, problems: recovered.problems },
      witness,
    );
    await journal.recordOpenFindings(recovered, finding);
    // From now on the sealed record names this journal's head, so a later start can tell if it was cut.
    witness.offer({ ...journal.head, at: options.clock.wallTime().toISOString() });
    await witness.settled();
    return journal;
  }

  append(event: AuditEvent): Promise<void> {
    return this.record(event).then(() => undefined);
  }

  /** Like append, and tells the caller the stored record's id and sequence number. */
  record(event: AuditEvent): Promise<JournalReceipt> {
    return new Promise((resolve, reject) => this.enqueue({ kind: 'event', event, resolve, reject }));
  }

  /** Signs the chain head now (if anything is unsigned); resolves when the checkpoint is durable. */
  checkpoint(): Promise<void> {
    return new Promise((resolve, reject) => this.enqueue({ kind: 'checkpoint', resolve, reject }));
  }

  durableHead(): JournalPosition {
    return { segment: this.segment, offset: this.size, seq: this.head.seq };
  }

  onDurable(listener: (head: JournalPosition) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Refuses new appends from the moment it is called, writes everything already queued, then a final
   * checkpoint after it, so every acknowledged record is signed, and closes the segment.
   */
  close(): Promise<void> {
    this.closing ??= this.drainAndClose();
    return this.closing;
  }

  private async drainAndClose(): Promise<void> {
    this.cancelCheckpointTimer?.();
    try {
      // Queued behind everything appended before close, so it signs all of it. A journal that broke has
      // already refused its appends with the reason; closing it is not a second failure.
      if (!this.broken) {
        await new Promise<void>((resolve, reject) => this.push({ kind: 'checkpoint', resolve, reject })).catch(
          (error: unknown) => {
            if (!this.broken) throw error;
          },
        );
      }
    } finally {
      await this.flushed;
      this.cancelCheckpointTimer?.();
      await this.witness.settled();
      await this.handle.close();
    }
  }

  private enqueue(item: Pending): void {
    if (this.closing) {
      item.reject(
        new Error(
          `The audit journal in ${this.directory} is closing or closed (CareShell is shutting down); the event was not recorded.`,
        ),
      );
      return;
    }
    if (this.broken) {
      item.reject(this.broken);
      return;
    }
    this.push(item);
  }

  private push(item: Pending): void {
    this.queue.push(item);
    if (!this.flushing) {
      this.flushing = true;
      // Let appends issued in the same turn join this commit.
      this.flushed = new Promise((resolve) => setImmediate(resolve)).then(() => this.flushLoop());
    }
  }

  private async flushLoop(): Promise<void> {
    while (this.queue.length > 0) {
      // Only a record that has to be written opens a new segment (a close never leaves an empty one).
      if (this.size >= this.settings.maxSegmentBytes && this.queue.some((item) => item.kind === 'event')) {
        try {
          await this.rotate();
        } catch (error) {
          this.fail(error);
        }
      }
      const batch = this.queue.splice(0, MAX_BATCH);
      if (this.broken) {
        for (const item of batch) item.reject(this.broken);
        continue;
      }
      await this.commit(batch);
    }
    this.flushing = false;
  }

  /** One group commit: build the records, one write, one fdatasync, then acknowledge them all. */
  private async commit(batch: Pending[]): Promise<void> {
    const startHead = this.head;
    const startSince = this.sinceCheckpoint;
    const lines: string[] = [];
    /** The items this write carries: acknowledged once it is durable, refused if it fails (and only they). */
    const included: { acknowledge: () => void; reject: (error: Error) => void }[] = [];
    const push = (line: string) => {
      lines.push(line);
      // UTF-8 bytes, as on disk: line.length counts UTF-16 units and would let non-ASCII text overfill a segment.
      bytes += Buffer.byteLength(line) + 1;
      this.head = { seq: this.head.seq + 1, hash: sha256Hex(line) };
    };
    /** The head after the last checkpoint of this write: what the sealed head record gets once it is durable. */
    let signedHead: (ChainHead & { at: string }) | undefined;
    const pushCheckpoint = () => {
      const at = this.options.clock.wallTime().toISOString();
      const { workstation } = this.options;
      const fields = { seq: this.head.seq + 1, id: this.options.random.uuid(), prev: this.head.hash, at, workstation };
      push(canonicalJson(signCheckpoint(this.key, fields)));
      this.sinceCheckpoint = 0;
      signedHead = { ...this.head, at };
    };
    let bytes = 0;
    for (const [index, item] of batch.entries()) {
      if (index > 0 && this.size + bytes >= this.settings.maxSegmentBytes) {
        // The segment is full: the rest waits for the next commit, which goes to a new segment.
        // (The first item always goes: it is the closing checkpoint when rotate() calls this.)
        this.queue.unshift(...batch.slice(index));
        break;
      }
      if (item.kind === 'checkpoint') {
        if (this.sinceCheckpoint > 0) pushCheckpoint();
        included.push({ acknowledge: item.resolve, reject: item.reject });
        continue;
      }
      const receipt = { id: this.options.random.uuid(), seq: this.head.seq + 1 };
      let line: string;
      try {
        line = canonicalJson({
          kind: 'event',
          seq: receipt.seq,
          id: receipt.id,
          prev: this.head.hash,
          event: item.event,
        });
      } catch (error) {
        item.reject(new Error(`The audit event "${item.event.type}" cannot be stored: ${messageOf(error)}`));
        continue;
      }
      push(line);
      included.push({ acknowledge: () => item.resolve(receipt), reject: item.reject });
      if (++this.sinceCheckpoint >= this.settings.checkpointEvery) pushCheckpoint();
    }
    if (lines.length > 0) {
      try {
        const buf = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
        await this.writeDurably(buf);
        this.size += buf.length;
      } catch (error) {
        this.head = startHead;
        this.sinceCheckpoint = startSince;
        const failure = new Error(
          `The audit journal could not write to ${this.directory} (${messageOf(error)}); the events were not recorded.`,
        );
        await this.undoPartialWrite();
        for (const { reject } of included) reject(failure);
        return;
      }
    }
    this.armCheckpointTimer();
    if (signedHead) this.witness.offer(signedHead);
    for (const { acknowledge } of included) acknowledge();
    if (lines.length > 0) {
      const position = this.durableHead();
      for (const listener of this.listeners) listener(position);
    }
  }

  private async writeDurably(buf: Buffer): Promise<void> {
    for (let written = 0; written < buf.length;) {
      const { bytesWritten } = await this.handle.write(buf, written, buf.length - written);
      written += bytesWritten;
    }
    await this.handle.datasync();
  }

  /** A failed write may have left part of a batch on disk: cut it so the next commit continues the chain. */
  private async undoPartialWrite(): Promise<void> {
    try {
      const { size } = await this.handle.stat();
      if (size !== this.size) {
        await this.handle.truncate(this.size);
        await this.handle.datasync();
      }
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    this.broken = new Error(
      `The audit journal in ${this.directory} cannot be written (${messageOf(error)}). Audited actions are refused until it is ` +
        'repaired: check disk space and permissions, then restart CareShell.',
    );
  }

  private armCheckpointTimer(): void {
    if (this.sinceCheckpoint === 0) {
      this.cancelCheckpointTimer?.();
      this.cancelCheckpointTimer = undefined;
      return;
    }
    this.cancelCheckpointTimer ??= this.options.clock.setTimer(this.settings.checkpointIntervalMs, () => {
      this.cancelCheckpointTimer = undefined;
      // A failed timed checkpoint is retried by the next commit or close; nothing is waiting on it.
      if (!this.closing) this.checkpoint().catch(() => undefined);
    });
  }

  /** Ends the current segment with a checkpoint, so every full segment is signed to its last record. */
  private async rotate(): Promise<void> {
    if (this.sinceCheckpoint > 0)
      await this.commit([{ kind: 'checkpoint', resolve: () => undefined, reject: () => undefined }]);
    if (this.broken) return;
    const next = segmentName(this.head.seq + 1);
    const handle = await open(segmentPath(this.directory, next), 'ax', 0o600);
    await syncDirectory(this.directory);
    await this.handle.close();
    this.handle = handle;
    this.segment = next;
    this.size = 0;
  }

  private async recordOpenFindings(recovered: RecoveredJournal, head: HeadFinding | undefined): Promise<void> {
    const base = { at: this.options.clock.wallTime().toISOString(), workstation: this.options.workstation };
    const findings: Promise<void>[] = [];
    // A reset goes first, so the new chain opens with the reason for it, and is signed at once.
    const reset = head?.type === 'audit.journal_reset';
    if (reset) findings.push(this.append({ ...base, ...head, outcome: 'failure' }), this.checkpoint());
    if (recovered.torn) {
      const { segment, offset, bytes, sha256 } = recovered.torn;
      findings.push(
        this.append({
          ...base,
          type: 'audit.record_truncated',
          outcome: 'success',
          reason:
            'an incomplete record at the end of the journal (a write cut off by a crash or power loss, never acknowledged) was removed on start-up',
          details: { segment, offset, bytes, sha256 },
        }),
      );
    }
    for (const problem of recovered.problems) {
      findings.push(
        this.append({
          ...base,
          type: 'audit.journal_damaged',
          outcome: 'failure',
          reason: `${problem.problem}; run "careshell-audit verify" on ${this.directory}`,
          details: {
            segment: problem.segment,
            offset: problem.offset,
            ...(problem.seq === undefined ? {} : { seq: problem.seq }),
          },
        }),
      );
    }
    if (head && !reset) findings.push(this.append({ ...base, ...head, outcome: 'failure' }));
    await Promise.all(findings);
  }
}
