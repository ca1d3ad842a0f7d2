import { z } from 'zod';
import { temporaryGrantSchema, type TemporaryGrant } from '../../temporary-access/temporary-grant.js';
import { IdentityError } from '../identity-error.js';
import { readRecord, writeRecord } from '../storage/json-records.js';
import { KeyedSerial } from '../storage/keyed-serial.js';
import type { KeyValueStore } from '../storage/key-value-store.js';
import { userKey } from '../storage/user-key.js';

/** What the session engine learns from a tap. */
export interface DirectoryUser {
  userId: string;
  displayName: string;
  roles: string[];
  /** Temporary staff: when their sponsored enrollment ends (ISO 8601); shown on the lock screen and header. */
  temporaryUntil?: string;
}

const badgeHashSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'a badge hash is 64 lower-case hex characters (HMAC-SHA256)');

const accountSchema = z.object({
  v: z.literal(1),
  userId: z.string().min(1),
  displayName: z.string(),
  username: z.string().optional(),
  roles: z.array(z.string()),
  /** The one badge bound to this account: two people sharing an account is what users complain about. */
  badgeHash: badgeHashSchema,
  enrolledAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Temporary (locum, agency) staff: the sponsorship that bounds this enrollment (docs/temporary-access.md). */
  temporary: temporaryGrantSchema.optional(),
});
export type AccountRecord = z.infer<typeof accountSchema>;

const badgeSchema = z.object({ v: z.literal(1), userId: z.string().min(1) });

export interface BindResult {
  /** The badge this account had before, now unbound (re-enrollment with a new badge). */
  replacedBadgeHash: string | undefined;
}

/**
 * Enrolled clinicians: badge (keyed hash only) -> account, and account -> profile and roles. Two records per
 * enrollment, written badge first; a badge counts only when its account points back at it, so a crash
 * between the two writes never resolves a badge to the wrong person.
 */
export class UserDirectory {
  /**
   * Writes of one account run one after another: a profile update that read the account just before an
   * unenrollment deleted it would otherwise write the erased account back.
   */
  private readonly writes = new KeyedSerial();

  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => Date,
  ) {}

  async resolveBadge(badgeHash: string): Promise<DirectoryUser | undefined> {
    const account = await this.accountOfBadge(badgeHash);
    return (
      account && {
        userId: account.userId,
        displayName: account.displayName,
        roles: [...account.roles],
        ...(account.temporary ? { temporaryUntil: account.temporary.expiresAt } : {}),
      }
    );
  }

  async accountOfBadge(badgeHash: string): Promise<AccountRecord | undefined> {
    const hash = this.checkHash(badgeHash);
    const badge = await readRecord(this.store, this.badgeKey(hash), badgeSchema, 'badge enrollment');
    if (!badge) return undefined;
    const account = await this.account(badge.userId);
    return account?.badgeHash === hash ? account : undefined;
  }

  account(userId: string): Promise<AccountRecord | undefined> {
    return readRecord(this.store, this.accountKey(userId), accountSchema, 'account');
  }

  /**
   * Binds the badge to the account, replacing the account's previous badge. Refuses a badge that is bound
   * to a different account: it must be unenrolled by an administrator first. `temporary`: the sponsorship of a
   * temporary enrollment; without it the enrollment is permanent (a previous sponsorship does not carry over).
   */
  async bind(
    badgeHash: string,
    profile: { userId: string; displayName: string; username?: string; roles: string[] },
    temporary?: TemporaryGrant,
  ): Promise<BindResult> {
    return this.writes.run(profile.userId, () => this.bindNow(badgeHash, profile, temporary));
  }

  private async bindNow(
    badgeHash: string,
    profile: { userId: string; displayName: string; username?: string; roles: string[] },
    temporary?: TemporaryGrant,
  ): Promise<BindResult> {
    const hash = this.checkHash(badgeHash);
    const holder = await this.accountOfBadge(hash);
    if (holder && holder.userId !== profile.userId) {
      throw new IdentityError(
        'badge-bound-to-other-account',
        `This badge is already enrolled for ${holder.displayName}. Each badge belongs to one person: ask IT to unenroll it before it can be used for ${profile.displayName}.`,
      );
    }
    const previous = await this.account(profile.userId);
    const at = this.now().toISOString();
    await writeRecord(this.store, this.badgeKey(hash), { v: 1, userId: profile.userId });
    const record: AccountRecord = {
      v: 1,
      userId: profile.userId,
      displayName: profile.displayName,
      ...(profile.username ? { username: profile.username } : {}),
      roles: [...profile.roles],
      badgeHash: hash,
      enrolledAt: previous?.enrolledAt ?? at,
      updatedAt: at,
      ...(temporary ? { temporary } : {}),
    };
    await writeRecord(this.store, this.accountKey(profile.userId), record);
    const replaced = previous && previous.badgeHash !== hash ? previous.badgeHash : undefined;
    if (replaced) await this.store.delete(this.badgeKey(replaced));
    return { replacedBadgeHash: replaced };
  }

  /** Roles and name as of the latest sign-in (roles change at the provider, not here). */
  updateProfile(userId: string, profile: { displayName: string; roles: string[] }): Promise<void> {
    return this.writes.run(userId, async () => {
      const account = await this.account(userId);
      if (!account) return;
      await writeRecord(this.store, this.accountKey(userId), {
        ...account,
        displayName: profile.displayName,
        roles: [...profile.roles],
        updatedAt: this.now().toISOString(),
      });
    });
  }

  /** Every enrollment that carries a sponsorship (temporary staff): their expiry is watched. */
  async temporaryAccounts(): Promise<AccountRecord[]> {
    const keys = await this.store.list('account/');
    const accounts = await Promise.all(
      keys.map((key) => readRecord(this.store, key, accountSchema, 'account').catch(() => undefined)),
    );
    return accounts.filter((a): a is AccountRecord => a?.temporary !== undefined);
  }

  /** Removes the account and its badge; returns the removed record, if there was one. */
  unbind(userId: string): Promise<AccountRecord | undefined> {
    return this.writes.run(userId, async () => {
      const account = await this.account(userId);
      if (!account) return undefined;
      await this.store.delete(this.accountKey(userId));
      await this.store.delete(this.badgeKey(account.badgeHash));
      return account;
    });
  }

  private checkHash(badgeHash: string): string {
    const parsed = badgeHashSchema.safeParse(badgeHash);
    if (!parsed.success) throw new Error(`Invalid badge hash: ${parsed.error.issues[0]?.message}.`);
    return parsed.data;
  }

  private badgeKey(hash: string): string {
    return `badge/${hash}`;
  }

  private accountKey(userId: string): string {
    return `account/${userKey(userId)}`;
  }
}
