import type { StepUpService } from '../identity/step-up/step-up-service.js';
import type { StepUp } from '../session/ports.js';

/** Adapts identity's StepUpService to the session engine's StepUp port: a wrong code may be retried, nothing else. */
export function identityStepUp(service: Pick<StepUpService, 'methodsFor' | 'stepUp'>): StepUp {
  return {
    methodsFor: (userId, action) => service.methodsFor(userId, action),
    async prove(userId, action, proof, signal) {
      const result = await service.stepUp(userId, action, proof, signal);
      return result.ok ? { ok: true } : { ok: false, retry: result.reason === 'wrong-code', message: result.message };
    },
  };
}
