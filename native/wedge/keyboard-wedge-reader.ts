import type { Clock } from '../../common/clock.js';
import type { BadgeReader, BadgeReaderListener } from '../badge-reader.js';
import { ReaderEventHub } from '../reader-event-hub.js';
import type { WedgeBurstDetector, WedgeKey } from './wedge-burst-detector.js';
import { createWedgeDetector, type WedgeCaptureConfig } from './wedge-capture-config.js';
import { wedgeBodyToBadge } from './wedge-id.js';
import type { WedgeKeyFilter, WedgeKeyFilterSource } from './wedge-input-capture.js';

export interface KeyboardWedgeReaderOptions {
  id: string;
  description: string;
  capture: WedgeCaptureConfig;
  clock: Clock;
}

interface OpenFilter {
  detector: WedgeBurstDetector;
  release: (keys: WedgeKey[]) => void;
}

/**
 * A keyboard-wedge reader seen through the keys the page would receive. The shell opens one filter per
 * webContents (wedge-input-capture.ts), each with its own burst detector, so keys held in one webContents are
 * replayed into that one only. A recognised burst becomes a tap with the canonical id; a burst that cannot
 * be mapped becomes an error event (and is still swallowed).
 */
export class KeyboardWedgeReader implements BadgeReader, WedgeKeyFilterSource {
  readonly id: string;
  private readonly hub = new ReaderEventHub();
  private readonly filters = new Set<OpenFilter>();
  private running = false;

  constructor(private readonly options: KeyboardWedgeReaderOptions) {
    this.id = options.id;
  }

  onEvent(listener: BadgeReaderListener): () => void {
    return this.hub.on(listener);
  }

  openFilter(echoes: { pending(now: number): boolean }, release: (keys: WedgeKey[]) => void): WedgeKeyFilter {
    const detector = createWedgeDetector(
      this.options.capture,
      this.options.clock,
      (body) => this.onBurst(body),
      release,
      echoes,
    );
    const filter = { detector, release };
    this.filters.add(filter);
    return {
      handle: (input) => (this.running ? detector.handle(input) : { prevent: false, replay: [] }),
      close: () => {
        this.filters.delete(filter);
        detector.reset();
      },
    };
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.hub.emit({ kind: 'attached', readerId: this.id, description: this.options.description });
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    // Keys held as a possible burst go back to the stream each came from.
    for (const { detector, release } of this.filters) {
      const held = detector.reset();
      if (held.length > 0) release(held);
    }
    this.hub.emit({ kind: 'detached', readerId: this.id });
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
        scope: 'read',
      });
    }
  }
}
