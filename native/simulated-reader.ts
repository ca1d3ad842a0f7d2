import type { BadgeReader, BadgeReaderListener, CardFormat } from './badge-reader.js';
import { ReaderEventHub } from './reader-event-hub.js';

/** Canonical ids the simulated reader accepts: the same shapes real drivers produce. */
const CANONICAL_BADGE_ID = /^(?:(?:H10301|C1000-35|H10304|sim):\d{1,10}:\d{1,12}|uid:[0-9a-f]{8,20})$/;

/**
 * A reader with no hardware behind it, driven by the demo's control panel and by tests. It goes
 * through the same BadgeReader events as real drivers so the rest of the app cannot tell the difference.
 */
export class SimulatedReader implements BadgeReader {
  private readonly hub = new ReaderEventHub();
  private running = false;
  /** The badge lying on the simulated reader, so removal can say which card left. */
  private present: string | undefined;

  constructor(readonly id = 'simulated-0') {}

  async start(): Promise<void> {
    this.running = true;
    this.present = undefined;
    this.hub.emit({ kind: 'attached', readerId: this.id, description: 'Simulated badge reader' });
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.hub.emit({ kind: 'detached', readerId: this.id });
  }

  onEvent(listener: BadgeReaderListener): () => void {
    return this.hub.on(listener);
  }

  /** Simulates a card entering the field. Throws on an id no real driver could produce. */
  tap(badgeId: string): void {
    if (!this.running) throw new Error(`Simulated reader ${this.id} is stopped; start it before tapping.`);
    if (!CANONICAL_BADGE_ID.test(badgeId)) {
      throw new Error(`"${badgeId}" is not a canonical badge id (expected e.g. H10301:12:3456 or uid:04a1b2c3d4).`);
    }
    const format = badgeId.slice(0, badgeId.indexOf(':')) as CardFormat;
    this.present = badgeId;
    this.hub.emit({ kind: 'tap', readerId: this.id, badgeId, format });
  }

  /** Simulates the last tapped card leaving the field; nothing when no card is on the reader. */
  remove(): void {
    const badgeId = this.present;
    this.present = undefined;
    if (this.running && badgeId !== undefined) this.hub.emit({ kind: 'removed', readerId: this.id, badgeId });
  }
}
