import type { BadgeReaderEvent, BadgeReaderListener } from './badge-reader.js';

/** Listener bookkeeping shared by the drivers, so each driver only decides what to emit. */
export class ReaderEventHub {
  private readonly listeners = new Set<BadgeReaderListener>();

  on(listener: BadgeReaderListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: BadgeReaderEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
