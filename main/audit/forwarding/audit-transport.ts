import type { JournalPosition } from '../journal/audit-journal.js';
import type { StoredAuditEvent } from '../journal/journal-reader.js';

/** One way of handing events to a collector. `send` resolves once the collector has them, in order. */
export interface AuditTransport {
  send(events: readonly StoredAuditEvent[]): Promise<void>;
  /**
   * Only for a transport without acknowledgements: where delivery is certain, when some events it reported
   * sent may still be lost (undefined: all of them are certain). The forwarder saves this as its cursor and
   * goes back to it after a failure, so those events are sent again.
   */
  confirmedPosition?(): JournalPosition | undefined;
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
