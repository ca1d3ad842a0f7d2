import { messageOf } from '../../common/errors.js';
import type { EngineEvent, StepUpProofRequest } from './engine-state.js';
import type { PinResult, PinService, StepUp, StepUpCheck } from './ports.js';

/** One PIN check for an unlock and a step-up alike: a storage error is 'unavailable', never thrown. */
export function verifyPin(pins: PinService, userId: string, pin: string): Promise<PinResult> {
  return pins
    .verify(userId, pin)
    .catch((err: unknown): PinResult => ({ ok: false, reason: 'unavailable', message: messageOf(err) }));
}

/**
 * Checks one step-up proof and returns what the engine hears. A PIN goes through the unlock's PIN check first (the
 * same counting, backoff and lockout, and the engine's PIN records); the StepUp port then applies only the policy
 * (whether a PIN is accepted for the action, and the roles).
 */
export async function checkStepUpProof(
  ports: { pins: PinService; stepUp?: StepUp | undefined },
  { token, userId, action, proof }: StepUpProofRequest,
  signal: AbortSignal,
): Promise<Extract<EngineEvent, { type: 'step-up-result' | 'step-up-pin-refused' }>> {
  if (proof.method === 'pin') {
    const pin = await verifyPin(ports.pins, userId, proof.pin);
    if (!pin.ok) return { type: 'step-up-pin-refused', token, result: pin };
  }
  const result = ports.stepUp
    ? await ports.stepUp
        .prove(userId, action, proof.method === 'pin' ? { method: 'pin', pinAccepted: true } : proof, signal)
        .catch((err: unknown): StepUpCheck => ({ ok: false, retry: false, message: messageOf(err) }))
    : { ok: false as const, retry: false, message: 'step-up is not available on this workstation' };
  return { type: 'step-up-result', token, method: proof.method, result };
}
