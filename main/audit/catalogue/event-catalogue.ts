import type { AuditEventType } from '../audit-event.js';

/** A code in a coding system; `DCM` is DICOM's own (PS3.16), CARESHELL_EVENT_SYSTEM is ours. */
export interface CodedValue {
  code: string;
  system: string;
  display: string;
}

export const DCM = 'DCM';
/** Identifies CareShell's own event type codes, carried alongside the DICOM ones so no mapping loses detail. */
export const CARESHELL_EVENT_SYSTEM = 'urn:careshell:audit-event-type';

const dcm = (code: string, display: string): CodedValue => ({ code, system: DCM, display });

// DICOM PS3.16 CID 400 (audit event ids) and the event type codes PS3.15 A.5.3 gives each of them (User
// Authentication has only Login and Logout; Application Activity only Application Start and Stop).
export const USER_AUTHENTICATION = dcm('110114', 'User Authentication');
export const SECURITY_ALERT = dcm('110113', 'Security Alert');
export const APPLICATION_ACTIVITY = dcm('110100', 'Application Activity');
export const LOGIN = dcm('110122', 'Login');
export const LOGOUT = dcm('110123', 'Logout');
export const EMERGENCY_OVERRIDE_STARTED = dcm('110127', 'Emergency Override Started');
export const EMERGENCY_OVERRIDE_STOPPED = dcm('110138', 'Emergency Override Stopped');
export const SECURITY_CONFIGURATION = dcm('110129', 'Security Configuration');
export const HARDWARE_CONFIGURATION = dcm('110130', 'Hardware Configuration');
export const USE_OF_RESTRICTED_FUNCTION = dcm('110132', 'Use of Restricted Function');
export const USER_SECURITY_ATTRIBUTES_CHANGED = dcm('110137', 'User Security Attributes Changed');

export interface CatalogueEntry {
  /** DICOM EventID (what kind of audit message). */
  eventId: CodedValue;
  /** DICOM EventTypeCode from the standard, when one fits; CareShell's own code is always added. */
  eventType?: CodedValue;
  /** DICOM EventActionCode: C create, R read, U update, D delete, E execute. */
  action: 'C' | 'R' | 'U' | 'D' | 'E';
  /** How an auditor would say it. */
  display: string;
}

const auth = (eventType: CodedValue | undefined, display: string): CatalogueEntry =>
  eventType
    ? { eventId: USER_AUTHENTICATION, eventType, action: 'E', display }
    : { eventId: USER_AUTHENTICATION, action: 'E', display };
const alert = (
  eventType: CodedValue | undefined,
  display: string,
  action: CatalogueEntry['action'] = 'E',
): CatalogueEntry =>
  eventType ? { eventId: SECURITY_ALERT, eventType, action, display } : { eventId: SECURITY_ALERT, action, display };

/**
 * How each CareShell event is told to the hospital (docs/design.md#audit). Authentication at the screen (sign-in,
 * unlock, re-verification, a failed badge or PIN) is a DICOM User Authentication Login, outcome 0 or 4;
 * anything that takes the user off the screen (sign-out, lock, timeout, suspension) is a Logout.
 * Break-glass is a Security Alert with Emergency Override Started / Stopped. The mapped type is exhaustive:
 * adding an event type without deciding its mapping does not compile.
 */
export const AUDIT_CATALOGUE: { readonly [T in AuditEventType]: CatalogueEntry } = {
  'session.sign_in': auth(LOGIN, 'Sign-in'),
  'session.sign_out': auth(LOGOUT, 'Sign-out'),
  'session.lock': auth(LOGOUT, 'Screen locked (session kept)'),
  'session.unlock': auth(LOGIN, 'Screen unlocked'),
  // Session upkeep at the screen: DICOM's User Authentication has only Login and Logout, neither of which
  // happened, so only CareShell's own type code says what it is (110100 is application start and stop).
  'session.idle_warning': auth(undefined, 'Inactivity warning shown'),
  'session.activity': auth(undefined, 'User activity'),
  'session.timeout': auth(LOGOUT, 'Session timed out'),
  'session.suspended': auth(LOGOUT, 'Session suspended for another user'),
  'session.resumed': auth(LOGIN, 'Suspended session resumed'),
  'session.terminated': auth(LOGOUT, 'Session ended'),
  'session.user_switch': auth(LOGIN, 'Fast user switch'),
  'session.reverify_required': auth(undefined, 'Re-verification required'),
  'session.step_up': auth(LOGIN, 'Step-up authentication'),
  'badge.unknown': auth(LOGIN, 'Unknown badge presented'),
  'badge.rejected': auth(LOGIN, 'Badge rejected'),
  'pin.failure': auth(LOGIN, 'Wrong PIN'),
  'pin.lockout': alert(USER_SECURITY_ATTRIBUTES_CHANGED, 'PIN locked out after repeated failures', 'U'),
  'pin.reset': alert(USER_SECURITY_ATTRIBUTES_CHANGED, 'PIN reset', 'U'),
  'enrollment.enrolled': alert(USER_SECURITY_ATTRIBUTES_CHANGED, 'Badge enrolled', 'C'),
  'enrollment.reenrolled': alert(USER_SECURITY_ATTRIBUTES_CHANGED, 'Badge re-enrolled', 'U'),
  'enrollment.unenrolled': alert(USER_SECURITY_ATTRIBUTES_CHANGED, 'Badge enrollment removed', 'D'),
  'enrollment.authenticator': alert(USER_SECURITY_ATTRIBUTES_CHANGED, 'Authenticator app set up for step-up', 'C'),
  'identity.token_cache_discarded': alert(USER_SECURITY_ATTRIBUTES_CHANGED, 'Stored sign-in tokens discarded', 'D'),
  'breakglass.start': alert(EMERGENCY_OVERRIDE_STARTED, 'Break-glass access started'),
  'breakglass.stop': alert(EMERGENCY_OVERRIDE_STOPPED, 'Break-glass access ended'),
  // DICOM has no code for the after-the-fact review; CareShell's own type code says what it is.
  'breakglass.review': alert(undefined, 'Break-glass access reviewed', 'R'),
  // Just-in-time access (docs/temporary-access.md#just-in-time-access): asking and deciding change no security
  // attribute yet (CareShell's own type code says what they are); a grant that starts or ends changes the user's
  // access for a while, DICOM's User Security Attributes Changed.
  'jit.request': alert(undefined, 'Just-in-time access requested', 'C'),
  'jit.approve': alert(undefined, 'Just-in-time access approved'),
  'jit.refuse': alert(undefined, 'Just-in-time access refused'),
  'jit.start': alert(USER_SECURITY_ATTRIBUTES_CHANGED, 'Just-in-time access started', 'C'),
  'jit.end': alert(USER_SECURITY_ATTRIBUTES_CHANGED, 'Just-in-time access ended', 'D'),
  'jit.cancel': alert(undefined, 'Just-in-time request withdrawn before a decision'),
  // Temporary staff (docs/temporary-access.md): a sponsored, time-boxed enrollment is a change of the person's
  // security attributes; its expiry deletes it; a refusal at the door or of a sponsor is a failed authentication.
  'temporary.enroll': alert(USER_SECURITY_ATTRIBUTES_CHANGED, 'Temporary staff enrolled by a sponsor', 'C'),
  'temporary.expire': alert(USER_SECURITY_ATTRIBUTES_CHANGED, 'Temporary staff access expired and erased', 'D'),
  'temporary.refuse': auth(LOGIN, 'Temporary staff or sponsor refused'),
  'policy.change': alert(SECURITY_CONFIGURATION, 'Machine policy changed', 'U'),
  'policy.invalid': alert(SECURITY_CONFIGURATION, 'Machine policy rejected as invalid'),
  // The signed revocation list (docs/temporary-access.md#revocation-list) configures who may use CareShell.
  'revocation.list.applied': alert(SECURITY_CONFIGURATION, 'Revocation list applied', 'U'),
  'revocation.list.refused': alert(SECURITY_CONFIGURATION, 'Revocation list refused'),
  'revocation.list.stale': alert(SECURITY_CONFIGURATION, 'Revocation list stale'),
  // One account taken off by the list: its enrollment removed and its sessions ended.
  'revocation.apply': alert(USER_SECURITY_ATTRIBUTES_CHANGED, 'Account revoked by the revocation list', 'D'),
  // DICOM 110120 Application Start, outcome 4: the workstation stays on a locked screen saying why.
  'workstation.start_failed': {
    eventId: APPLICATION_ACTIVITY,
    eventType: dcm('110120', 'Application Start'),
    action: 'E',
    display: 'Workstation could not start',
  },
  // The running application reporting on itself: Application Activity, but neither a start nor a stop, so only
  // CareShell's own type code says what it is; outcome 4 when a reader or a collector needs IT.
  'workstation.heartbeat': { eventId: APPLICATION_ACTIVITY, action: 'E', display: 'Workstation heartbeat' },
  'reader.attach': alert(HARDWARE_CONFIGURATION, 'Badge reader attached'),
  'reader.detach': alert(HARDWARE_CONFIGURATION, 'Badge reader detached'),
  'reader.error': alert(HARDWARE_CONFIGURATION, 'Badge reader error'),
  'audit.record_truncated': alert(undefined, 'Incomplete audit record removed after a crash'),
  'audit.journal_damaged': alert(undefined, 'Audit journal damage found'),
  // Recording goes on (DICOM's 110133 Audit Recording Stopped would say otherwise); only delivery is held up.
  'audit.forwarding_stalled': alert(undefined, 'Audit forwarding to a collector stalled'),
  // A signed journal head, forwarded so collectors witness it (docs/audit.md#the-witnessed-head); read-only.
  'audit.checkpoint': alert(undefined, 'Audit journal head signed'),
  'audit.journal_reset': alert(undefined, 'Audit journal found cut or deleted; new chain started'),
};

/** DICOM / FHIR outcome: 0 success, 4 minor failure (a refused tap, a wrong PIN). */
export function outcomeCode(outcome: 'success' | 'failure'): '0' | '4' {
  return outcome === 'success' ? '0' : '4';
}
