import type { EngineEventOf } from '../engine-state.js';
import type { DecisionBuilder } from './decision-builder.js';
import { abandonPending } from './session-transitions.js';

/**
 * A person the identity layer knows, refused at the door (temporary staff after their sponsorship ended or outside
 * its shift window): the prompt that led here closes, nothing is granted, and the person reads why.
 */
export function onAdmissionRefused(decision: DecisionBuilder, refused: EngineEventOf<'admission-refused'>): void {
  const pending = decision.state.pending;
  if (pending && refused.token !== undefined && pending.token === refused.token)
    abandonPending(decision, `temporary access refused (${refused.refusal.id})`);
  decision.notify({ level: 'error', id: refused.refusal.id, params: { ...refused.refusal.params } });
}
