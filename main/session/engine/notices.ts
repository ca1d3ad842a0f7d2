import type { EnrollmentPurpose, StepUpAction, StepUpMethod } from '../ports.js';
import type { Notice } from '../engine-state.js';
import { wholeSeconds } from '../deadlines.js';

/**
 * Every sentence the session engine shows the person at the workstation, in one place so that a translation
 * has one file to cover. Each returns the notice with its level; `name` is the display name of the person
 * addressed (only ever the one at the screen: see session-view.ts). Handlers import this as `notices`.
 */

const info = (text: string): Notice => ({ level: 'info', text });
const warning = (text: string): Notice => ({ level: 'warning', text });
const error = (text: string): Notice => ({ level: 'error', text });

// ---- badge taps ----

export const policyInvalid = () => error('This workstation cannot be used until IT corrects its policy.');
export const directoryUnavailable = () =>
  error('Your badge could not be checked: the user directory is unavailable. Try again, or call IT.');
export const badgeNotEnrolled = () =>
  error(
    'This badge is not enrolled on CareShell. If it is yours, ask IT to enroll it (readers may report it differently).',
  );
export const enrollmentInProgress = (step: 'sign-in' | 'choose-pin') =>
  info(
    step === 'sign-in'
      ? 'Enrollment is in progress: finish signing in in the sign-in window.'
      : 'Enrollment is in progress: choose your PIN.',
  );
export const tapIgnored = (name: string, signedInAgoMs: number) =>
  info(`Tap ignored: ${name} signed in ${wholeSeconds(signedInAgoMs)} s ago.`);
export const tapOutOff = () => info('Tap-out is turned off on this workstation: use Lock to lock the screen.');
export const suspendedLimitReached = (maxSuspended: number) =>
  warning(
    `This workstation already keeps as many sessions as its policy allows (${maxSuspended} suspended). Ask the signed-in user to sign out, or use another workstation.`,
  );
export const previousSessionLocked = (knownBadge: boolean) =>
  info(`The previous session is locked. Tap your badge again to ${knownBadge ? 'sign in' : 'enroll it'}.`);
export const passwordSignInOff = () => info('Tap your badge to sign in.');

// ---- PIN ----

export const enterPin = (name: string) => info(`${name}: enter your PIN.`);
export const noPinAsked = () => warning('No PIN is being asked for right now: tap your badge first.');
export const wrongPin = (attemptsLeft: number, retryInMs: number) =>
  warning(
    `Wrong PIN. ${attemptsLeft} ${attemptsLeft === 1 ? 'attempt' : 'attempts'} left before your PIN is locked.${retryInMs > 0 ? ` Wait ${wholeSeconds(retryInMs)} s before trying again.` : ''}`,
  );
export const pinTooSoon = (retryInMs: number) =>
  warning(`Wait ${wholeSeconds(retryInMs)} s before entering your PIN again.`);
export const pinUnusableAskIt = (name: string, why: string) =>
  error(`${name}: your PIN cannot be used (${why}). Ask IT to reset it.`);
export const pinUncheckable = (why: string) => error(`Your PIN could not be checked (${why}). Try again, or call IT.`);
export const pinLockedOut = (name: string) =>
  error(`Too many wrong PINs for ${name}. Sign in with your password in the sign-in window to continue.`);
export const pinResetNotHere = (name: string) =>
  warning(`${name}: a forgotten PIN cannot be reset on this workstation. Ask IT to reset it.`);

// ---- sign-in with the identity provider ----

export const signInWithPassword = () => info('Sign in with your password to continue.');
export const signInAlreadyOpen = () => info('A sign-in is already open: finish it in the sign-in window.');
/** after: what the failure means for the person's next unlock. */
export const signInFailed = (why: string, after: 'session-goes-on' | 'badge-and-pin-refused' | 'nothing') =>
  error(
    `Sign-in did not succeed: ${sentence(why)}${
      after === 'session-goes-on'
        ? ' Your session goes on; you will sign in with your password when you next unlock.'
        : after === 'badge-and-pin-refused'
          ? ' Until you sign in with your password, your badge and PIN will not unlock.'
          : ''
    }`,
  );
export const shiftSignInExpired = (name: string) =>
  info(`${name}: your shift sign-in has expired. Tap your badge to sign in with your password.`);
export const keptSessionEnded = (name: string) =>
  warning(`${name}: your kept session has ended. Tap your badge to start a new one.`);

// ---- enrollment and PIN reset ----

export const enrollBadge = () =>
  info('This badge is not enrolled yet. Sign in with your hospital account in the sign-in window to enroll it.');
/** unusable: why the stored PIN cannot be used; absent when the clinician asked (forgotten PIN). */
export const resetPin = (name: string, unusable: string | undefined) =>
  warning(
    `${name}: ${unusable === undefined ? 'to reset your PIN' : `your PIN cannot be used (${unusable})`}. Sign in with your hospital account in the sign-in window, then choose a new PIN.`,
  );
export const choosePin = (name: string) => info(`${name}: choose a new PIN, then enter it again to confirm.`);
export const enrollmentFailed = (purpose: EnrollmentPurpose, why: string) =>
  error(`${procedureName(purpose)} did not complete: ${sentence(why)} Nothing was saved; tap your badge to try again.`);
export const enrollmentRefused = (purpose: EnrollmentPurpose, why: string) =>
  error(`${procedureName(purpose)} did not complete: ${why}`);
export const enrollmentCancelled = (purpose: EnrollmentPurpose) =>
  info(`${procedureName(purpose)} cancelled. Nothing was saved.`);
export const enrollmentExpired = (purpose: EnrollmentPurpose) =>
  warning(`${procedureName(purpose)} took too long and was stopped; nothing was saved. Tap your badge to start again.`);
/** A message from the identity layer that the person can act on (a PIN the PIN rules refused). */
export const tryAgain = (message: string) => warning(message);

// ---- step-up before a high-risk action ----

export const stepUpNeedsSession = (action: StepUpAction) =>
  warning(`To ${stepUpLabel(action)}, sign in first: tap your badge.`);
export const finishSignInFirst = () => warning('Finish the sign-in already in progress first.');
export const stepUpImpossible = (action: StepUpAction) =>
  error(`You cannot ${stepUpLabel(action)} here: this workstation has no way to confirm it is you. Call IT.`);
export const confirmItIsYou = (action: StepUpAction) => info(`Confirm it is you to ${stepUpLabel(action)}.`);
export const confirmBySignIn = (action: StepUpAction) =>
  info(`Confirm it is you: sign in again in the sign-in window to ${stepUpLabel(action)}.`);
export const nothingToConfirm = () => warning('Nothing is waiting for confirmation right now.');
export const proofNotAccepted = (offered: StepUpMethod, accepted: readonly StepUpMethod[]) =>
  warning(
    `Policy does not accept ${offered === 'totp' ? 'an authenticator code' : 'a sign-in'} for this; use ${accepted.join(' or ')}.`,
  );
export const stepUpFailed = (why: string) => error(`Could not confirm it is you: ${why}`);
export const cancelled = () => info('Cancelled.');

// ---- the audit trail ----

export const cannotUnlockWithoutAudit = (why: string) =>
  error(`Cannot unlock: the audit trail is unavailable (${why}). The workstation stays locked; call IT.`);
export const verificationInterrupted = () =>
  warning('Verification was interrupted by another event: tap your badge again.');
export const auditUnavailable = (why: string) => error(`The audit trail is unavailable (${why}); call IT.`);

/** What the user is about to do, for notices: "Confirm it is you to <label>." */
function stepUpLabel(action: StepUpAction): string {
  return {
    'break-glass': 'use emergency access',
    export: 'export records',
    'policy-change': "change this workstation's policy",
    'authenticator-setup': 'set up an authenticator app',
  }[action];
}

function procedureName(purpose: EnrollmentPurpose): string {
  return purpose === 'enroll' ? 'Enrollment' : 'PIN reset';
}

/** Ends a message from elsewhere with exactly one full stop. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
