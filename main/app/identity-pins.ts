import { IdentityError } from '../identity/identity-error.js';
import type { PinService as IdentityPinService } from '../identity/pin/pin-service.js';
import type { PinService } from '../session/ports.js';

/**
 * Adapts the identity layer's PinService to the session engine's port. A PIN that was never set, or whose
 * record is damaged, cannot be verified by anyone: the engine turns 'needs-reset' into a PIN reset with a
 * full sign-in instead of an error the clinician can do nothing about.
 */
export function identityPins(pins: Pick<IdentityPinService, 'verify'>): PinService {
  return {
    async verify(userId, pin) {
      try {
        return await pins.verify(userId, pin);
      } catch (error) {
        if (error instanceof IdentityError && (error.code === 'pin-not-set' || error.code === 'record-damaged')) {
          return { ok: false, reason: 'needs-reset', message: error.message };
        }
        throw error;
      }
    },
  };
}
