/**
 * The shape of every security-relevant event (docs/design.md#audit). Producers (session engine, identity,
 * readers, policy, the journal itself) emit these to an AuditSink; the journal and forwarders consume them. The
 * breakglass.* types are catalogued ahead of their producer, which is not built yet.
 */
export const AUDIT_EVENT_TYPES = [
  'session.sign_in',
  'session.sign_out',
  'session.lock',
  'session.unlock',
  'session.idle_warning',
  'session.activity',
  'session.timeout',
  'session.suspended',
  'session.resumed',
  'session.terminated',
  'session.user_switch',
  'session.reverify_required',
  'session.step_up',
  'badge.unknown',
  'badge.rejected',
  'pin.failure',
  'pin.lockout',
  'pin.reset',
  'enrollment.enrolled',
  'enrollment.reenrolled',
  'enrollment.unenrolled',
  'enrollment.authenticator',
  'identity.token_cache_discarded',
  'breakglass.start',
  'breakglass.stop',
  'breakglass.review',
  'jit.request',
  'jit.approve',
  'jit.refuse',
  'jit.start',
  'jit.end',
  'jit.cancel',
  'temporary.enroll',
  'temporary.expire',
  'temporary.refuse',
  'policy.change',
  'policy.invalid',
  'revocation.list.applied',
  'revocation.list.refused',
  'revocation.list.stale',
  'revocation.apply',
  'workstation.start_failed',
  'workstation.heartbeat',
  'reader.attach',
  'reader.detach',
  'reader.error',
  'audit.record_truncated',
  'audit.journal_damaged',
  'audit.forwarding_stalled',
  'audit.checkpoint',
  'audit.journal_reset',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export type AuditOutcome = 'success' | 'failure';

export interface AuditActor {
  /** Account id from the identity provider (never a raw badge number). */
  userId?: string;
  displayName?: string;
  /** Keyed hash of the canonical badge id. */
  badgeHash?: string;
  roles?: readonly string[];
}

export interface AuditEvent {
  type: AuditEventType;
  /** Wall-clock time for people reading the trail (ISO 8601, UTC). */
  at: string;
  workstation: string;
  actor?: AuditActor;
  outcome: AuditOutcome;
  /** Why it happened, in words an auditor can read (e.g. "idle 300 s", "grace expired"). */
  reason?: string;
  details?: Readonly<Record<string, string | number | boolean>>;
}

export interface AuditSink {
  /** Resolves once the event is durable; callers acknowledge the action only after that. */
  append(event: AuditEvent): Promise<void>;
}
