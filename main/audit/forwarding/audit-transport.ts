import type { StoredAuditEvent } from '../journal/journal-reader.js';

/** One way of handing events to a collector. `send` resolves once the collector has them, in order. */
export interface AuditTransport {
  send(events: readonly StoredAuditEvent[]): Promise<void>;
  close(): Promise<void>;
}

/** A send that got part of the way: the first `delivered` events were accepted, the rest were not. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly delivered: number,
  ) {
    super(message);
  }
}
