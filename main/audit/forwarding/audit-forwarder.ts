import type { Clock } from '../../../common/clock.js';
import type { Random } from '../../../common/random.js';
import type { JournalFeed, JournalPosition } from '../journal/audit-journal.js';
import { readEvents } from '../journal/journal-reader.js';
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
}

export interface ForwarderStatus {
  destination: string;
  state: 'idle' | 'sending' | 'waiting-to-retry' | 'stopped';
  /** Seq of the last record the collector has acknowledged. */
  deliveredSeq: number;
  /** Seq of the last durable record in the journal: the difference is what waits on disk. */
  journalSeq: number;
  consecutiveFailures: number;
  lastError?: string;
}

/**
 * Store-and-forward to one destination: reads the journal from a persistent cursor, sends in order, moves
 * the cursor only after the collector acknowledged, and retries with capped exponential backoff (with
 * jitter, so a fleet does not reconnect in lockstep) while the collector is unreachable. Events never wait
 * in memory: a restart resumes from the cursor, so delivery is at-least-once with stable event ids.
 */
export class AuditForwarder {
  private cursor?: JournalPosition;
  private running = false;
  private again = false;
  private stopped = true;
  private failures = 0;
  private lastError?: string;
  private cancelRetry?: () => void;
  private unsubscribe?: () => void;
  private idle = Promise.resolve();

  constructor(private readonly options: AuditForwarderOptions) {}

  async start(): Promise<void> {
    this.cursor = await this.options.cursors.load(this.options.destination);
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
  }

  status(): ForwarderStatus {
    return {
      destination: this.options.destination,
      state: this.stopped ? 'stopped' : this.running ? 'sending' : this.cancelRetry ? 'waiting-to-retry' : 'idle',
      deliveredSeq: this.cursor?.seq ?? 0,
      journalSeq: this.options.journal.durableHead().seq,
      consecutiveFailures: this.failures,
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
    const { journal, transport, batchSize } = this.options;
    try {
      for (;;) {
        this.again = false;
        const head = journal.durableHead();
        const { events, next } = await readEvents(journal.directory, this.cursor, { maxEvents: batchSize, until: head });
        if (events.length === 0) {
          if (next.segment && (next.segment !== this.cursor?.segment || next.offset !== this.cursor.offset)) await this.advance(next);
          if (!this.again || this.stopped) return;
          continue;
        }
        if (this.stopped) return;
        try {
          await transport.send(events);
        } catch (error) {
          const delivered = error instanceof DeliveryError ? error.delivered : 0;
          if (delivered > 0) await this.advance(events[delivered - 1]!.next);
          throw error;
        }
        await this.advance(events.at(-1)!.next);
        this.failures = 0;
        this.lastError = undefined;
        if (this.stopped) return;
      }
    } catch (error) {
      // A send cut short by stop() is not a collector failure.
      if (this.stopped) return;
      this.failures++;
      this.lastError = (error as Error).message;
      this.scheduleRetry();
    }
  }

  private async advance(position: JournalPosition): Promise<void> {
    await this.options.cursors.save(this.options.destination, position);
    this.cursor = position;
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
