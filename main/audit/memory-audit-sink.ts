import type { AuditEvent, AuditSink } from './audit-event.js';

/** Keeps events in memory: for tests and for composing the app before a journal is configured. */
export class MemoryAuditSink implements AuditSink {
  readonly events: AuditEvent[] = [];

  async append(event: AuditEvent): Promise<void> {
    this.events.push(event);
  }
}
