import type { EngineEventOf } from '../engine-state.js';
import * as records from './audit-records.js';
import type { DecisionBuilder } from './decision-builder.js';
import * as notices from './notices.js';
import { abandonPending } from './session-transitions.js';

/** What the service reports back about carrying out earlier decisions: timers and the audit trail. */

/** Deadlines were applied before every handler (decide): a timer firing has nothing else to do. */
export function onTimer(): void {}

/** The grant's record could not be made durable, so access is not granted. */
export function onGrantFailed(decision: DecisionBuilder, failure: EngineEventOf<'grant-failed'>): void {
  abandonPending(decision, 'audit unavailable');
  decision.notify(notices.cannotUnlockWithoutAudit(failure.message));
}

/** The grant's record is already durable: say in the trail that it did not take effect. */
export function onGrantInterrupted(decision: DecisionBuilder, interrupted: EngineEventOf<'grant-interrupted'>): void {
  decision.audit(records.grantNotShown(interrupted.grant));
  decision.notify(notices.verificationInterrupted());
}

export function onAuditFailed(decision: DecisionBuilder, failure: EngineEventOf<'audit-failed'>): void {
  decision.notify(notices.auditUnavailable(failure.message));
}
