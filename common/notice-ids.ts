/**
 * What the session engine can tell the person at the screen, as message ids: main sends an id and its
 * parameters (main/session/engine/notices.ts), the renderer words it in the person's language from its
 * catalog (renderer/i18n/). A parameter `count` picks the plural form, `context` a variant of the sentence.
 */
export const NOTICE_IDS = [
  'policyInvalid',
  'policyProblems',
  'directoryUnavailable',
  'badgeNotEnrolled',
  'enrollmentInProgress',
  'tapIgnored',
  'tapOutOff',
  'suspendedLimitReached',
  'previousSessionLocked',
  'passwordSignInOff',
  'noPinAsked',
  'wrongPin',
  'pinTooSoon',
  'pinUnusableAskIt',
  'pinUncheckable',
  'pinLockedOut',
  'pinResetNotHere',
  'signInWithPassword',
  'signInAlreadyOpen',
  'signInFailed',
  'shiftSignInExpired',
  'keptSessionEnded',
  'signInRefusedSessionEnded',
  'enrollBadge',
  'resetPin',
  'choosePin',
  'enrollmentFailed',
  'enrollmentRefused',
  'enrollmentCancelled',
  'enrollmentExpired',
  'tryAgain',
  'stepUpNeedsSession',
  'finishSignInFirst',
  'stepUpImpossible',
  'confirmBySignIn',
  'nothingToConfirm',
  'proofNotAccepted',
  'stepUpFailed',
  'cancelled',
  'cannotUnlockWithoutAudit',
  'verificationInterrupted',
  'auditUnavailable',
  'temporaryAccessEnded',
  'temporaryOffShift',
  'temporaryNeedsSponsor',
] as const;
export type NoticeId = (typeof NOTICE_IDS)[number];

/** Parameters are plain values: names, counts, milliseconds, and details from other layers (in English). */
export type NoticeParams = Readonly<Record<string, string | number>>;

/** The languages the renderer ships a catalog for; the first is the fallback. */
export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];
