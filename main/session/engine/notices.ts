import type { NoticeId, NoticeParams } from '../../../common/notice-ids.js';
import type { EnrollmentPurpose, StepUpAction, StepUpMethod } from '../ports.js';
import type { Notice } from '../engine-state.js';
import { wholeSeconds } from '../deadlines.js';

/**
 * Everything the session engine tells the person at the workstation, as a message id and its parameters:
 * the renderer words it from its catalog (renderer/i18n/catalog-en.ts), in the person's language. `name` is
 * the display name of the person addressed (only ever the one at the screen: see session-view.ts); `why` is a
 * detail from another layer, shown as given. Handlers import this as `notices`.
 */

const notice =
  (level: Notice['level']) =>
  (id: NoticeId, params?: NoticeParams): Notice =>
    params ? { level, id, params } : { level, id };
const info = notice('info');
const warning = notice('warning');
const error = notice('error');

// ---- badge taps ----

export const policyInvalid = () => error('policyInvalid');
export const directoryUnavailable = () => error('directoryUnavailable');
export const badgeNotEnrolled = () => error('badgeNotEnrolled');
export const enrollmentInProgress = (step: 'sign-in' | 'choose-pin') => info('enrollmentInProgress', { context: step });
export const tapIgnored = (name: string, signedInAgoMs: number) =>
  info('tapIgnored', { name, count: wholeSeconds(signedInAgoMs) });
export const tapOutOff = () => info('tapOutOff');
export const suspendedLimitReached = (maxSuspended: number) =>
  warning('suspendedLimitReached', { count: maxSuspended });
export const previousSessionLocked = (knownBadge: boolean) =>
  info('previousSessionLocked', { context: knownBadge ? 'sign-in' : 'enroll' });
export const passwordSignInOff = () => info('passwordSignInOff');

// ---- PIN ----

export const noPinAsked = () => warning('noPinAsked');
/** retryInMs counts down on screen (the renderer ticks it from when the view arrived). */
export const wrongPin = (attemptsLeft: number, retryInMs: number) =>
  warning('wrongPin', { count: attemptsLeft, retryInMs });
export const pinTooSoon = (retryInMs: number) => warning('pinTooSoon', { retryInMs });
export const pinUnusableAskIt = (name: string, why: string) => error('pinUnusableAskIt', { name, why });
export const pinUncheckable = (why: string) => error('pinUncheckable', { why });
export const pinLockedOut = (name: string) => error('pinLockedOut', { name });
export const pinResetNotHere = (name: string) => warning('pinResetNotHere', { name });

// ---- sign-in with the identity provider ----

export const signInWithPassword = () => info('signInWithPassword');
export const signInAlreadyOpen = () => info('signInAlreadyOpen');
/** after: what the failure means for the person's next unlock. */
export const signInFailed = (why: string, after: 'session-goes-on' | 'badge-and-pin-refused' | 'nothing') =>
  error('signInFailed', { why: sentence(why), context: after });
export const shiftSignInExpired = (name: string) => info('shiftSignInExpired', { name });
export const keptSessionEnded = (name: string) => warning('keptSessionEnded', { name });
export const signInRefusedSessionEnded = (name: string) => error('signInRefusedSessionEnded', { name });

// ---- enrollment and PIN reset ----

export const enrollBadge = () => info('enrollBadge');
/** unusable: why the stored PIN cannot be used; absent when the clinician asked (forgotten PIN). */
export const resetPin = (name: string, unusable: string | undefined) =>
  warning('resetPin', unusable === undefined ? { name } : { name, why: unusable, context: 'unusable' });
export const choosePin = (name: string) => info('choosePin', { name });
export const enrollmentFailed = (purpose: EnrollmentPurpose, why: string) =>
  error('enrollmentFailed', { context: purpose, why: sentence(why) });
export const enrollmentRefused = (purpose: EnrollmentPurpose, why: string) =>
  error('enrollmentRefused', { context: purpose, why });
export const enrollmentCancelled = (purpose: EnrollmentPurpose) => info('enrollmentCancelled', { context: purpose });
export const enrollmentExpired = (purpose: EnrollmentPurpose) => warning('enrollmentExpired', { context: purpose });
/** A message from the identity layer that the person can act on (a PIN the PIN rules refused). */
export const tryAgain = (message: string) => warning('tryAgain', { message });

// ---- step-up before a high-risk action ----

export const stepUpNeedsSession = (action: StepUpAction) => warning('stepUpNeedsSession', { action });
export const finishSignInFirst = () => warning('finishSignInFirst');
export const stepUpImpossible = (action: StepUpAction) => error('stepUpImpossible', { action });
export const confirmBySignIn = (action: StepUpAction) => info('confirmBySignIn', { action });
export const nothingToConfirm = () => warning('nothingToConfirm');
export const proofNotAccepted = (offered: StepUpMethod, accepted: readonly StepUpMethod[]) =>
  warning('proofNotAccepted', { context: offered, accepted: accepted.join(',') });
export const stepUpFailed = (why: string) => error('stepUpFailed', { why });
export const cancelled = () => info('cancelled');

// ---- the audit trail ----

export const cannotUnlockWithoutAudit = (why: string) => error('cannotUnlockWithoutAudit', { why });
export const verificationInterrupted = () => warning('verificationInterrupted');
export const auditUnavailable = (why: string) => error('auditUnavailable', { why });

/** Ends a message from elsewhere with exactly one full stop. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
