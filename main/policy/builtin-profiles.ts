import type { SessionOverride } from './session-settings.js';

/**
 * Workstation profiles shipped with the product (docs/design.md#policy: an ER kiosk locks sooner than a nurse
 * station). A machine policy may redefine any of them or add its own under `profiles`.
 */
export const BUILTIN_PROFILES: Readonly<Record<string, SessionOverride>> = {
  /** The built-in defaults as they are. */
  default: {},
  /** Shared ER kiosk: short idle, many physicians tapping in and out, badge alone resumes. */
  'er-kiosk': {
    idleTimeoutSeconds: 120,
    warningSeconds: 20,
    graceMinutes: 15,
    reverifyInGrace: 'badge',
    tapOut: { sameUser: 'lock', ignoreWithinSeconds: 3, otherUser: 'switch' },
    switching: { previousSession: 'suspend', maxSuspended: 5, whenFull: 'end-oldest' },
  },
  /** Computer-on-wheels in corridors: it is left unattended in public places, so a PIN confirms the badge. */
  'nurse-cow': {
    idleTimeoutSeconds: 180,
    warningSeconds: 30,
    graceMinutes: 30,
    reverifyInGrace: 'badge+pin',
    switching: { previousSession: 'suspend', maxSuspended: 2, whenFull: 'end-oldest' },
  },
  /** Nurse station behind the desk: longer charting, fewer users. */
  'nurse-station': {
    idleTimeoutSeconds: 600,
    warningSeconds: 30,
    graceMinutes: 20,
  },
};
