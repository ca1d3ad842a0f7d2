import { generateSecret, generateURI, verify } from 'otplib';
import { z } from 'zod';
import type { Clock } from '../../../common/clock.js';
import { messageOf } from '../../../common/errors.js';
import type { Sealer } from '../crypto/sealer.js';
import { IdentityError } from '../identity-error.js';
import type { KeyValueStore } from '../storage/key-value-store.js';
import { userKey } from '../storage/user-key.js';

const totpRecordSchema = z.object({
  v: z.literal(1),
  secret: z.string().regex(/^[A-Z2-7]+=*$/),
  /** Last accepted time step: a code is accepted once, never replayed within its window. */
  lastTimeStep: z.number().int().optional(),
});

/**
 * RFC 6238 TOTP codes (otplib 13) as a step-up factor. Secrets are sealed at rest with the user id bound in.
 * Setting one up is two steps: a new secret is held aside until the app proves it has it with a valid code,
 * so a half-finished setup never replaces (or becomes) the factor in use.
 * TOTP is defined on wall-clock time, so this is the one identity check that reads Clock.wallTime.
 */
export class TotpAuthenticator {
  constructor(
    private readonly store: KeyValueStore,
    private readonly sealer: Sealer,
    private readonly clock: Clock,
    /** Accepts a code from one 30 s step before or after, for clock drift between phone and workstation. */
    private readonly toleranceSeconds = 30,
  ) {}

  /** A new secret, held aside until confirmEnrollment; the URI goes into a QR code for the authenticator app. */
  async beginEnrollment(userId: string, label: string, issuer = 'CareShell'): Promise<{ secret: string; uri: string }> {
    const secret = generateSecret();
    await this.save(this.pendingKey(userId), userId, { v: 1, secret });
    return { secret, uri: generateURI({ issuer, label, secret }) };
  }

  /** The first code from the app: when it is valid, the new secret replaces any earlier one. */
  async confirmEnrollment(userId: string, code: string): Promise<boolean> {
    if (!(await this.store.read(this.pendingKey(userId)))) {
      throw new IdentityError('totp-not-enrolled', 'No authenticator app setup is in progress: start the setup again.');
    }
    const accepted = await this.check(this.pendingKey(userId), userId, code);
    if (!accepted) return false;
    await this.save(this.key(userId), userId, accepted);
    await this.store.delete(this.pendingKey(userId));
    return true;
  }

  async isEnrolled(userId: string): Promise<boolean> {
    return (await this.store.read(this.key(userId))) !== undefined;
  }

  async verify(userId: string, code: string): Promise<boolean> {
    const accepted = await this.check(this.key(userId), userId, code);
    if (accepted) await this.save(this.key(userId), userId, accepted);
    return accepted !== undefined;
  }

  /** The record with this code's time step recorded (so it is never accepted again), or undefined if wrong. */
  private async check(
    key: string,
    userId: string,
    code: string,
  ): Promise<z.infer<typeof totpRecordSchema> | undefined> {
    const record = await this.load(key, userId);
    if (!/^\d{6}$/.test(code)) return undefined;
    const result = await verify({
      secret: record.secret,
      token: code,
      epoch: Math.floor(this.clock.wallTime().getTime() / 1000),
      epochTolerance: this.toleranceSeconds,
      ...(record.lastTimeStep !== undefined ? { afterTimeStep: record.lastTimeStep } : {}),
    });
    if (!result.valid || !('timeStep' in result)) return undefined;
    return { ...record, lastTimeStep: result.timeStep };
  }

  async remove(userId: string): Promise<void> {
    await this.store.delete(this.key(userId));
    await this.store.delete(this.pendingKey(userId));
  }

  private key(userId: string): string {
    return `totp/${userKey(userId)}`;
  }

  private pendingKey(userId: string): string {
    return `totp-pending/${userKey(userId)}`;
  }

  private async load(key: string, userId: string): Promise<z.infer<typeof totpRecordSchema>> {
    const sealed = await this.store.read(key);
    if (!sealed)
      throw new IdentityError(
        'totp-not-enrolled',
        'No authenticator app is set up for this account: use a full sign-in instead, or set one up.',
      );
    let parsed;
    try {
      parsed = totpRecordSchema.safeParse(
        JSON.parse(Buffer.from(this.sealer.open(sealed, this.context(userId))).toString('utf8')),
      );
    } catch (error) {
      throw new IdentityError(
        'record-damaged',
        `The authenticator record cannot be read (${messageOf(error)}); set up the authenticator app again.`,
      );
    }
    if (!parsed.success)
      throw new IdentityError(
        'record-damaged',
        'The authenticator record is damaged; set up the authenticator app again.',
      );
    return parsed.data;
  }

  private save(key: string, userId: string, record: z.infer<typeof totpRecordSchema>): Promise<void> {
    return this.store.write(key, this.sealer.seal(Buffer.from(JSON.stringify(record)), this.context(userId)));
  }

  private context(userId: string): string {
    return `careshell.totp.v1:${userId}`;
  }
}
