/** One account IT has taken off CareShell, from machine policy (identity.revoked) or the signed revocation list. */
export interface RevokedAccess {
  userId: string;
  reason: string;
}

/**
 * Accounts IT has revoked through machine policy or the signed revocation list, so that a workstation refuses them everywhere a person
 * proves who they are (enrollment, PIN reset, full sign-in) until IT takes them off the list. Replaced as a
 * whole when the policy changes.
 */
export class AccessRevocations {
  private byUser = new Map<string, string>();
  /** The signed revocation list's accounts (docs/temporary-access.md#revocation-list): a second source. */
  private listed = new Map<string, string>();

  constructor(initial: readonly RevokedAccess[] = []) {
    this.replace(initial);
  }

  /** The machine policy's identity.revoked. */
  replace(list: readonly RevokedAccess[]): void {
    this.byUser = new Map(list.map((r) => [r.userId, r.reason]));
  }

  /** The applied signed revocation list's accounts; an account is refused while either source lists it. */
  replaceListed(list: readonly RevokedAccess[]): void {
    this.listed = new Map(list.map((r) => [r.userId, r.reason]));
  }

  /** Why IT revoked this account, or undefined when it is not revoked. */
  reasonFor(userId: string): string | undefined {
    return this.byUser.get(userId) ?? this.listed.get(userId);
  }

  /** The message a revoked person sees after signing in: who, why, and what to do. */
  refusal(displayName: string, userId: string): string | undefined {
    const reason = this.reasonFor(userId);
    return reason === undefined
      ? undefined
      : `IT has removed CareShell access for ${displayName} (${reason}). If this is wrong, call IT.`;
  }
}
