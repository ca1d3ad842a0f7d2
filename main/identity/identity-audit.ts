import type { Clock } from '../../common/clock.js';
import type { AuditActor, AuditEventType, AuditOutcome, AuditSink } from '../audit/audit-event.js';

export interface IdentityAuditEntry {
  actor?: AuditActor;
  reason?: string;
  details?: Record<string, string | number | boolean>;
}

/** Stamps identity events with time and workstation and waits until the sink has made them durable. */
export class IdentityAudit {
  constructor(
    private readonly sink: AuditSink,
    private readonly clock: Clock,
    private readonly workstation: string,
  ) {}

  record(type: AuditEventType, outcome: AuditOutcome, entry: IdentityAuditEntry = {}): Promise<void> {
    return this.sink.append({
      type,
      at: this.clock.wallTime().toISOString(),
      workstation: this.workstation,
      outcome,
      ...entry,
    });
  }
}
