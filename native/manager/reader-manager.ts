import type { Clock } from '../../common/clock.js';
import { messageOf } from '../../common/errors.js';
import type { BadgeReader, BadgeReaderEvent, BadgeReaderListener } from '../badge-reader.js';
import { ReaderEventHub } from '../reader-event-hub.js';
import { ReaderMissingError } from '../reader-missing-error.js';
import type { HidBackend } from '../hid/hid-transport.js';
import type { PcscFactory } from '../pcsc/pcsc-binding.js';
import { KeyboardWedgeReader } from '../wedge/keyboard-wedge-reader.js';
import type { HotplugSource } from './hotplug-source.js';
import { createReader } from './reader-factory.js';
import { readerDescription, type ReaderConfig, type ReaderEntry } from './reader-config.js';

export type ReaderState = 'ready' | 'missing' | 'error';

/** Same shape as preload/contract.ts `ReaderStatus`, so the shell can send it to the renderer as is. */
export interface ReaderStatusSummary {
  readers: { id: string; description: string; state: ReaderState; message?: string }[];
  fallback?: string;
}

export interface ReaderManagerOptions {
  config: ReaderConfig;
  clock: Clock;
  /** Needed when HID readers are configured (production: createNodeHidBackend()). */
  hidBackend?: HidBackend;
  /** Needed when a PC/SC reader is configured (production: loadPcscBinding). */
  loadPcsc?: () => Promise<PcscFactory>;
  hotplug?: HotplugSource;
  /** Builds a driver for a config entry; defaults to the real drivers (tests may substitute). */
  readerFactory?: (entry: ReaderEntry) => BadgeReader;
  /**
   * The installation's keyed badge hash (HMAC). Given, the debounce compares and keeps hashes only; without
   * it (tests, bench) it keeps canonical ids, and only for the debounce window.
   */
  hashBadgeId?: (canonicalBadgeId: string) => string;
}

interface Slot {
  entry: ReaderEntry;
  reader: BadgeReader;
  description: string;
  state: ReaderState;
  message?: string | undefined;
  /** start() succeeded and stop() has not been called (the device may still be absent, e.g. PC/SC). */
  running: boolean;
  starting: boolean;
  attachedAt: number | undefined;
  backoffMs: number;
  cancelRetry: (() => void) | undefined;
  /** Bumped each time the reader is lost, so a start() in flight that it failed during does not count. */
  epoch: number;
}

/** A reader that stayed attached this long is healthy again: its next failure retries from the first delay. */
const STABLE_MS = 10_000;

/**
 * Owns the configured readers (from policy): starts them, reopens them with backoff when they fail, reacts
 * to hot-plug, debounces taps (a held card re-read, or one tap seen by two drivers, is one tap) and keeps a
 * status summary for the renderer's banner. Emits the drivers' BadgeReaderEvents, with taps debounced and
 * 'removed' only from readers whose policy sets `presence: true`.
 */
export class ReaderManager {
  private readonly hub = new ReaderEventHub();
  private readonly statusListeners = new Set<(status: ReaderStatusSummary) => void>();
  private readonly slots: Slot[];
  /** Keyed hash (or canonical id) -> last time it was seen, and by which reader; in memory only, never logged. */
  private readonly lastSeen = new Map<string, { at: number; readerId: string }>();
  private cancelPrune: (() => void) | undefined;
  private stopHotplug: (() => void) | undefined;
  private started = false;

  constructor(private readonly options: ReaderManagerOptions) {
    const factory = options.readerFactory ?? ((entry: ReaderEntry) => createReader(entry, options));
    this.slots = options.config.readers.map((entry) => {
      const slot: Slot = {
        entry,
        reader: factory(entry),
        description: readerDescription(entry),
        state: 'missing',
        message: 'Starting',
        running: false,
        starting: false,
        attachedAt: undefined,
        backoffMs: options.config.reopen.initialMs,
        cancelRetry: undefined,
        epoch: 0,
      };
      slot.reader.onEvent((event) => this.onReaderEvent(slot, event));
      return slot;
    });
  }

  onEvent(listener: BadgeReaderListener): () => void {
    return this.hub.on(listener);
  }

  onStatus(listener: (status: ReaderStatusSummary) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** The driver behind a configured id (the shell needs the keyboard-wedge reader, the demo the simulated one). */
  getReader(id: string): BadgeReader | undefined {
    return this.slots.find((s) => s.entry.id === id)?.reader;
  }

  /** The keyboard-wedge capture readers: the shell captures every webContents with them (wedge-input-capture.ts). */
  keyboardWedgeReaders(): KeyboardWedgeReader[] {
    return this.slots.map((s) => s.reader).filter((r): r is KeyboardWedgeReader => r instanceof KeyboardWedgeReader);
  }

  status(): ReaderStatusSummary {
    const summary: ReaderStatusSummary = {
      readers: this.slots.map((s) => ({
        id: s.entry.id,
        description: s.description,
        state: s.state,
        ...(s.message === undefined ? {} : { message: s.message }),
      })),
    };
    if (this.options.config.fallback !== undefined) summary.fallback = this.options.config.fallback;
    return summary;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.stopHotplug = this.options.hotplug?.watch(() => this.onHotplug());
    await Promise.all(this.slots.map((slot) => this.tryStart(slot)));
    this.updateWanted();
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.stopHotplug?.();
    this.stopHotplug = undefined;
    this.cancelPrune?.();
    this.cancelPrune = undefined;
    this.lastSeen.clear();
    for (const slot of this.slots) {
      slot.cancelRetry?.();
      slot.cancelRetry = undefined;
    }
    await Promise.all(
      this.slots.map(async (slot) => {
        slot.running = false;
        await slot.reader.stop().catch(() => undefined);
        slot.attachedAt = undefined;
        this.setState(slot, 'missing', 'CareShell is not reading this reader (stopped).');
      }),
    );
  }

  private async tryStart(slot: Slot): Promise<void> {
    if (!this.started || slot.running || slot.starting) return;
    slot.starting = true;
    slot.cancelRetry?.();
    slot.cancelRetry = undefined;
    const epoch = slot.epoch;
    try {
      await slot.reader.start();
      // It failed again while starting (e.g. the PC/SC service refused the new context): already rescheduled.
      if (slot.epoch !== epoch) return;
      slot.running = true;
      if (slot.attachedAt === undefined && slot.state !== 'ready') {
        // Started but the device has not shown up yet (PC/SC waits for the service to announce it).
        this.setState(slot, 'missing', `Waiting for the ${slot.description} to be connected`);
      }
    } catch (error) {
      if (error instanceof ReaderMissingError) {
        this.setState(slot, 'missing', `${error.message} Connect it; it is picked up automatically.`);
        this.scheduleRetryIfNoHotplug(slot);
      } else {
        const message = messageOf(error);
        this.setState(slot, 'error', message);
        this.hub.emit({ kind: 'error', readerId: slot.entry.id, message, scope: 'reader' });
        this.scheduleRetry(slot);
      }
    } finally {
      slot.starting = false;
      this.updateWanted();
    }
  }

  /** Reopen with exponential backoff, so a failing reader is retried without hammering the bus. */
  private scheduleRetry(slot: Slot): void {
    if (!this.started) return;
    const delay = slot.backoffMs;
    slot.backoffMs = Math.min(slot.backoffMs * 2, this.options.config.reopen.maxMs);
    slot.cancelRetry?.();
    slot.cancelRetry = this.options.clock.setTimer(delay, () => {
      slot.cancelRetry = undefined;
      void this.tryStart(slot);
    });
  }

  /** Without a hot-plug source a missing reader is looked for on the backoff schedule instead. */
  private scheduleRetryIfNoHotplug(slot: Slot): void {
    if (!this.options.hotplug) this.scheduleRetry(slot);
  }

  /**
   * A device came or went: look for missing readers, and retry failed ones at once too (a first open
   * refused before the udev rule applied succeeds once the node's permissions change) instead of waiting
   * for their backoff.
   */
  private onHotplug(): void {
    for (const slot of this.slots) {
      if (!slot.running && !slot.starting && slot.state !== 'ready') void this.tryStart(slot);
    }
  }

  private updateWanted(): void {
    this.options.hotplug?.setWanted(this.slots.some((s) => !s.running && s.state === 'missing'));
  }

  private onReaderEvent(slot: Slot, event: BadgeReaderEvent): void {
    const now = this.options.clock.monotonicMs();
    switch (event.kind) {
      case 'attached':
        slot.attachedAt = now;
        this.setState(slot, 'ready', undefined);
        this.hub.emit(event);
        return;
      case 'detached':
        this.forgetReader(event.readerId);
        this.hub.emit(event);
        if (!this.started) return;
        if (slot.entry.driver === 'pcsc') {
          // PC/SC keeps running and announces the reader again itself.
          this.gone(slot, now);
          this.setState(slot, 'missing', 'Disconnected; reconnect the reader.');
          return;
        }
        // It may be a transient fault rather than an unplug: try again after the backoff delay.
        this.lost(slot, now, 'missing', 'Disconnected; reconnect the reader.');
        return;
      case 'removed':
        // Taking the card off re-arms it at once; only a walk-away reader's removal goes on (it locks).
        this.forgetReader(event.readerId);
        if (slot.entry.presence === true) this.hub.emit(event);
        return;
      case 'error':
        this.hub.emit(event);
        if (event.scope === 'reader' && this.started) {
          this.forgetReader(event.readerId);
          this.lost(slot, now, 'error', event.message);
        }
        return;
      case 'tap': {
        const key = this.options.hashBadgeId?.(event.badgeId) ?? event.badgeId;
        const previous = this.lastSeen.get(key);
        this.lastSeen.set(key, { at: now, readerId: event.readerId });
        this.schedulePrune(now);
        if (previous && now - previous.at < this.options.config.debounceMs) return;
        this.hub.emit(event);
      }
    }
  }

  /** The device is gone for now; one that had been attached for long is healthy again (backoff restarts). */
  private gone(slot: Slot, now: number): void {
    const stable = slot.attachedAt !== undefined && now - slot.attachedAt >= STABLE_MS;
    slot.attachedAt = undefined;
    if (stable) slot.backoffMs = this.options.config.reopen.initialMs;
  }

  /** The driver closed itself: show why and reopen it with backoff. */
  private lost(slot: Slot, now: number, state: ReaderState, message: string): void {
    this.gone(slot, now);
    slot.running = false;
    slot.epoch++;
    this.setState(slot, state, message);
    this.scheduleRetry(slot);
    this.updateWanted();
  }

  /** A card that left a presence reader may be tapped again at once. */
  private forgetReader(readerId: string): void {
    for (const [key, seen] of this.lastSeen) if (seen.readerId === readerId) this.lastSeen.delete(key);
  }

  /** Forgets each badge when its debounce window ends, so nothing is kept longer than the window. */
  private schedulePrune(now: number): void {
    if (this.cancelPrune || this.lastSeen.size === 0) return;
    let oldest = Infinity;
    for (const seen of this.lastSeen.values()) oldest = Math.min(oldest, seen.at);
    this.cancelPrune = this.options.clock.setTimer(oldest + this.options.config.debounceMs - now, () => {
      this.cancelPrune = undefined;
      const at = this.options.clock.monotonicMs();
      for (const [key, seen] of this.lastSeen)
        if (at - seen.at >= this.options.config.debounceMs) this.lastSeen.delete(key);
      this.schedulePrune(at);
    });
  }

  private setState(slot: Slot, state: ReaderState, message: string | undefined): void {
    if (slot.state === state && slot.message === message) return;
    slot.state = state;
    slot.message = message;
    const status = this.status();
    for (const listener of this.statusListeners) listener(status);
  }
}
