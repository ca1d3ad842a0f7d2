import type { Clock } from '../../../common/clock.js';
import { messageOf } from '../../../common/errors.js';
import type { Random } from '../../../common/random.js';
import type { AuditSink } from '../audit-event.js';
import type { JournalFeed, JournalPosition } from '../journal/audit-journal.js';
import type { StoredAuditEvent } from '../journal/journal-reader.js';
import { JournalReadError, readEvents } from '../journal/journal-reader.js';
import type { AuditTransport } from './audit-transport.js';
import { DeliveryError } from './audit-transport.js';
import type { CursorStore } from './cursor-store.js';

export interface RetrySettings {
  initialMs: number;
  maxMs: number;
}

export interface AuditForwarderOptions {
  /** Names the destination (and its cursor file). */
  destination: string;
  journal: JournalFeed;
  transport: AuditTransport;
  cursors: CursorStore;
  clock: Clock;
  random: Random;
  retry: RetrySettings;
  batchSize: number;
  /** Where a stall is recorded as audit.forwarding_stalled: the journal (so the other destinations hear of it). */
  audit: AuditSink;
  /** Names this workstation in that event. */
  workstation: string;
  /** Tells IT about a stall. */
  log: { warn(message: string): void };
  /** Failed attempts in a row after which the destination counts as stalled. */
  stallAfterFailures: number;
}

/** Where delivery is held up: the record that failed to go out (or could not be read). */
interface StuckAt {
  segment: string;
  offset: number;
  seq?: number;
}

export interface ForwarderStatus {
  destination: string;
  state: 'idle' | 'sending' | 'waiting-to-retry' | 'stopped';
  /** Seq of the last record the collector has acknowledged. */
  deliveredSeq: number;
  /** Seq of the last durable record in the journal: the difference is what waits on disk. */
  journalSeq: number;
  consecutiveFailures: number;
  /** Delivery failed `stallAfterFailures` times in a row (reported once, until a send goes through). */
  stalled: boolean;
  lastError?: string;
}

/**
 * Store-and-forward to one destination: reads the journal from a persistent cursor, sends in order, moves
 * the cursor only after the collector acknowledged, and retries with capped exponential backoff (with
 * jitter, so a fleet does not reconnect in lockstep) while the collector is unreachable. Events never wait
 * in memory: a restart resumes from the cursor, so delivery is at-least-once with stable event ids.
 */
export class AuditForwarder {
  /** Where the next batch is read from. */
  private cursor?: JournalPosition;
  /** The cursor as saved: behind `cursor` while the transport has events it cannot yet confirm. */
  private saved?: JournalPosition;
  private running = false;
  private again = false;
  private stopped = true;
  private failures = 0;
  private lastError?: string;
  private stalled = false;
  private cancelRetry?: () => void;
  private unsubscribe?: () => void;
  private idle = Promise.resolve();

  constructor(private readonly options: AuditForwarderOptions) {}

  async start(): Promise<void> {
    this.cursor = await this.options.cursors.load(this.options.destination);
    this.saved = this.cursor;
    this.stopped = false;
    this.unsubscribe = this.options.journal.onDurable(() => this.pump());
    this.pump();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.cancelRetry?.();
    // Closing first fails a send in flight, so the pass ends now instead of waiting on the collector.
    await this.options.transport.close();
    await this.idle;
    // A transport that closed cleanly may now confirm what it could not before.
    if (this.cursor) await this.save();
  }

  status(): ForwarderStatus {
    return {
      destination: this.options.destination,
      state: this.stopped ? 'stopped' : this.running ? 'sending' : this.cancelRetry ? 'waiting-to-retry' : 'idle',
      deliveredSeq: this.cursor?.seq ?? 0,
      journalSeq: this.options.journal.durableHead().seq,
      consecutiveFailures: this.failures,
      stalled: this.stalled,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /** Starts a delivery pass, or asks the running one to look again when it finishes. */
  private pump(): void {
    if (this.stopped || this.cancelRetry) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.idle = this.deliverAll().finally(() => {
      this.running = false;
      if (this.again && !this.stopped && !this.cancelRetry) {
        this.again = false;
        this.pump();
      }
    });
  }

  private async deliverAll(): Promise<void> {
    const { transport } = this.options;
    let stuck: StuckAt | undefined;
    try {
      for (;;) {
        this.again = false;
        const { events, next } = await this.readBatch();
        if (events.length === 0) {
          if (next.segment && (next.segment !== this.cursor?.segment || next.offset !== this.cursor.offset))
            await this.advance(next);
          if (!this.again || this.stopped) return;
          continue;
        }
        if (this.stopped) return;
        try {
          await transport.send(events);
        } catch (error) {
          const delivered = error instanceof DeliveryError ? error.delivered : 0;
          stuck = events[delivered];
          if (delivered > 0) await this.advance(events[delivered - 1]!.next);
          // Events the transport could not confirm go out again from the saved cursor.
          this.cursor = this.saved;
          throw error;
        }
        // The collector took the batch: the stall is over before the cursor moves, so a status read while the
        // cursor is being saved never shows the new position with the old failures.
        this.failures = 0;
        this.lastError = undefined;
        this.stalled = false;
        await this.advance(events.at(-1)!.next);
        if (this.stopped) return;
      }
    } catch (error) {
      // A send cut short by stop() is not a collector failure.
      if (this.stopped) return;
      this.failures++;
      this.lastError = messageOf(error);
      if (error instanceof JournalReadError) stuck = error;
      if (this.failures >= this.options.stallAfterFailures && !this.stalled) {
        this.stalled = true;
        this.reportStall(
          stuck ?? {
            segment: this.cursor?.segment ?? '',
            offset: this.cursor?.offset ?? 0,
            seq: (this.cursor?.seq ?? 0) + 1,
          },
        );
      }
      this.scheduleRetry();
    }
  }

  /**
   * The next batch from the cursor. When a record in it cannot be read, the events before that record
   * still go out first: the next pass then fails right at it (and keeps failing until it is repaired).
   */
  private async readBatch(): Promise<{ events: StoredAuditEvent[]; next: JournalPosition }> {
    const { journal, batchSize } = this.options;
    const head = journal.durableHead();
    try {
      // Checkpoints travel too, as audit.checkpoint events: the collector witnesses the journal's head.
      return await readEvents(journal.directory, this.cursor, { maxEvents: batchSize, until: head, checkpoints: true });
    } catch (error) {
      if (!(error instanceof JournalReadError)) throw error;
      const before = await readEvents(journal.directory, this.cursor, {
        maxEvents: batchSize,
        until: { segment: error.segment, offset: error.offset, seq: 0 },
        checkpoints: true,
      });
      if (before.events.length === 0) throw error;
      return before;
    }
  }

  /** A collector refusing one record (HTTP 4xx), a record that cannot be read, or a long outage: tell IT, once per stall. */
  private reportStall({ segment, offset, seq }: StuckAt): void {
    const { destination, audit, log, clock, workstation } = this.options;
    const where = `${seq === undefined ? 'a record' : `record ${seq}`} (${segment} at byte ${offset})`;
    const lastError = (this.lastError ?? '').slice(0, 500);
    log.warn(
      `audit: forwarding to "${destination}" is stalled: ${this.failures} attempts in a row failed at ${where}; last error: ${lastError}. ` +
        'The events wait in the journal and go out once the collector accepts it (a record it keeps refusing, or one that cannot be read, needs IT).',
    );
    audit
      .append({
        type: 'audit.forwarding_stalled',
        at: clock.wallTime().toISOString(),
        workstation,
        outcome: 'failure',
        reason: `forwarding to "${destination}" failed ${this.failures} times in a row at ${where}`,
        details: {
          destination,
          segment,
          offset,
          ...(seq === undefined ? {} : { seq }),
          failures: this.failures,
          lastError,
        },
      })
      .catch((error: unknown) =>
        log.warn(`audit: could not record that forwarding to "${destination}" is stalled: ${messageOf(error)}`),
      );
  }

  private async advance(position: JournalPosition): Promise<void> {
    this.cursor = position;
    await this.save();
  }

  private async save(): Promise<void> {
    const position = this.options.transport.confirmedPosition?.() ?? this.cursor!;
    const { saved } = this;
    if (saved && saved.segment === position.segment && saved.offset === position.offset) return;
    await this.options.cursors.save(this.options.destination, position);
    this.saved = position;
  }

  private scheduleRetry(): void {
    const { initialMs, maxMs } = this.options.retry;
    const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(this.failures - 1, 30));
    const [a = 0, b = 0] = this.options.random.bytes(2);
    const delay = ceiling * (0.5 + ((a << 8) | b) / 0x1ffff);
    this.cancelRetry = this.options.clock.setTimer(delay, () => {
      this.cancelRetry = undefined;
      this.pump();
    });
  }
}
