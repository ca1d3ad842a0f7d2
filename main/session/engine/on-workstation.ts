import type { EngineEventOf } from '../engine-state.js';
import * as records from './audit-records.js';
import type { DecisionBuilder } from './decision-builder.js';
import { abandonPending, lockSession } from './session-transitions.js';

/** What happens at the workstation itself: activity, the operating system's walk-away signals, the Lock button. */

export function onActivity(decision: DecisionBuilder): void {
  const fg = decision.state.fg;
  if (fg.kind === 'active') {
    decision.set({ fg: { ...fg, lastActivityMs: Math.max(fg.lastActivityMs, decision.now) } });
  } else if (fg.kind === 'warning') {
    decision.set({
      fg: { kind: 'active', session: fg.session, lastActivityMs: decision.now, unlockedAtMs: fg.unlockedAtMs },
    });
    decision.audit(records.sessionRecord('session.activity', fg.session, 'idle warning cancelled by activity'));
  }
}

/** Walk-away signals lock at once, and abandon any verification in progress at the screen. */
export function onOsEvent(decision: DecisionBuilder, os: EngineEventOf<'os'>): void {
  lockSession(decision, `operating system ${os.event}`);
  if (decision.state.pending) abandonPending(decision, `operating system ${os.event}`);
}

export function onLockNow(decision: DecisionBuilder): void {
  lockSession(decision, 'lock requested');
}
