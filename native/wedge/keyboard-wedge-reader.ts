import type { Clock } from '../../common/clock.js';
import type { BadgeReader, BadgeReaderListener } from '../badge-reader.js';
import { ReaderEventHub } from '../reader-event-hub.js';
import type { WedgeBurstDetector, WedgeDecision, WedgeKey, WedgeKeyInput } from './wedge-burst-detector.js';
import { createWedgeDetector, type WedgeCaptureConfig } from './wedge-capture-config.js';
import { wedgeBodyToBadge } from './wedge-id.js';

export interface KeyboardWedgeReaderOptions {
  id: string;
  description: string;
  capture: WedgeCaptureConfig;
  clock: Clock;
}

/**
 * A keyboard-wedge reader seen through the keys the page would receive. The shell feeds every
 * 'before-input-event' into `handleKey` and applies the decision (see wedge-burst-detector.ts for the
 * contract), and replays keys handed to `onReplay` listeners. A recognised burst becomes a tap with the
 * canonical id; a burst that cannot be mapped becomes an error event (and is still swallowed).
 */
export class KeyboardWedgeReader implements BadgeReader {
  readonly id: string;
  private readonly hub = new ReaderEventHub();
  private readonly replayListeners = new Set<(keys: WedgeKey[]) => void>();
  private readonly detector: WedgeBurstDetector;
  private running = false;

  constructor(private readonly options: KeyboardWedgeReaderOptions) {
    this.id = options.id;
    this.detector = createWedgeDetector(
      options.capture,
      options.clock,
      (body) => this.onBurst(body),
      (keys) => this.replay(keys),
    );
  }

  onEvent(listener: BadgeReaderListener): () => void {
    return this.hub.on(listener);
  }

  /** Keys released by the gap timer; the shell replays them with webContents.sendInputEvent. */
  onReplay(listener: (keys: WedgeKey[]) => void): () => void {
    this.replayListeners.add(listener);
    return () => this.replayListeners.delete(listener);
  }

  handleKey(input: WedgeKeyInput): WedgeDecision {
    if (!this.running) return { prevent: false, replay: [] };
    return this.detector.handle(input);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.hub.emit({ kind: 'attached', readerId: this.id, description: this.options.description });
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    const held = this.detector.reset();
    if (held.length > 0) this.replay(held);
    this.hub.emit({ kind: 'detached', readerId: this.id });
  }

  private replay(keys: WedgeKey[]): void {
    for (const listener of this.replayListeners) listener(keys);
  }

  private onBurst(body: string): void {
    const result = wedgeBodyToBadge(this.options.capture.id, body);
    if (result.ok) {
      this.hub.emit({ kind: 'tap', readerId: this.id, ...result.badge });
    } else {
      this.hub.emit({
        kind: 'error',
        readerId: this.id,
        message: `A keyboard-wedge badge read was blocked but not accepted: ${result.reason}. Check the reader's output settings against the wedge policy.`,
      });
    }
  }
}
