import { messageOf } from '../../common/errors.js';
import type { EnrollmentService } from '../identity/enrollment/enrollment-service.js';
import { IdentityError } from '../identity/identity-error.js';
import type { Enrollment } from '../session/ports.js';

type EnrollmentParts = Pick<
  EnrollmentService,
  'pendingTtlMs' | 'beginEnrollment' | 'completeEnrollment' | 'beginPinReset' | 'completePinReset' | 'cancel'
>;

/**
 * Adapts the identity layer's two-phase enrollment and PIN reset to the session engine's Enrollment port:
 * every IdentityError becomes an outcome carrying its message for the clinician; a refused PIN may be retried.
 */
export function identityEnrollment(service: EnrollmentParts, log: { warn(message: string): void }): Enrollment {
  return {
    ttlMs: service.pendingTtlMs,
    async begin(request, signal) {
      try {
        const pending =
          request.purpose === 'enroll'
            ? await service.beginEnrollment(request.badgeHash, signal)
            : await service.beginPinReset(request.userId, signal);
        const { userId, displayName, roles } = pending.user;
        return { ok: true, pendingId: pending.id, user: { userId, displayName, roles: [...roles] } };
      } catch (error) {
        return { ok: false, message: describe(error) };
      }
    },
    async complete({ pendingId, purpose, pin }) {
      try {
        if (purpose !== 'enroll') {
          await service.completePinReset(pendingId, pin);
          return { ok: true };
        }
        const enrolled = await service.completeEnrollment(pendingId, pin);
        return enrolled.temporary ? { ok: true, temporaryUntil: enrolled.temporary.expiresAt } : { ok: true };
      } catch (error) {
        return {
          ok: false,
          retry: error instanceof IdentityError && error.code === 'pin-rejected',
          message: describe(error),
        };
      }
    },
    async cancel(pendingId) {
      await service
        .cancel(pendingId)
        .catch((error: unknown) => log.warn(`enrollment: could not drop a cancelled enrollment: ${describe(error)}`));
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof IdentityError) return error.message;
  return `the enrollment could not be saved (${messageOf(error)}); try again, or call IT`;
}
