/** Why an identity operation was refused; `message` says what happened and what to do, for the person at hand. */
export type IdentityErrorCode =
  | 'pin-rejected'
  | 'pin-not-set'
  | 'record-damaged'
  | 'badge-bound-to-other-account'
  | 'badge-not-enrolled'
  | 'account-mismatch'
  | 'sign-in-unavailable'
  | 'sign-in-failed'
  | 'step-up-failed'
  | 'totp-not-enrolled'
  | 'access-revoked'
  | 'sponsor-missing';

export class IdentityError extends Error {
  constructor(
    readonly code: IdentityErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IdentityError';
  }
}
