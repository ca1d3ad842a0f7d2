import { generateSecret, generateURI, verify } from 'otplib';
import { z } from 'zod';
import type { Clock } from '../../../common/clock.js';
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

  /** Creates (or replaces) the user's secret; the URI goes into a QR code for the authenticator app. */
  async enroll(userId: string, label: string, issuer = 'CareShell'): Promise<{ secret: string; uri: string }> {
    const secret = generateSecret();
    await this.save(userId, { v: 1, secret });
    return { secret, uri: generateURI({ issuer, label, secret }) };
  }

  async isEnrolled(userId: string): Promise<boolean> {
    return (await this.store.read(this.key(userId))) !== undefined;
  }

  async verify(userId: string, code: string): Promise<boolean> {
    const record = await this.load(userId);
    if (!/^\d{6}$/.test(code)) return false;
    const result = await verify({
      secret: record.secret,
      token: code,
      epoch: Math.floor(this.clock.wallTime().getTime() / 1000),
      epochTolerance: this.toleranceSeconds,
      ...(record.lastTimeStep !== undefined ? { afterTimeStep: record.lastTimeStep } : {}),
    });
    if (!result.valid || !('timeStep' in result)) return false;
    await this.save(userId, { ...record, lastTimeStep: result.timeStep });
    return true;
  }

  async remove(userId: string): Promise<void> {
    await this.store.delete(this.key(userId));
  }

  private key(userId: string): string {
    return `totp/${userKey(userId)}`;
  }

  private async load(userId: string): Promise<z.infer<typeof totpRecordSchema>> {
    const sealed = await this.store.read(this.key(userId));
    if (!sealed) throw new IdentityError('totp-not-enrolled', 'No authenticator app is set up for this account: use a full sign-in instead, or set one up.');
    let parsed;
    try {
      parsed = totpRecordSchema.safeParse(JSON.parse(Buffer.from(this.sealer.open(sealed, this.context(userId))).toString('utf8')));
    } catch (error) {
      throw new IdentityError('record-damaged', `The authenticator record cannot be read (${(error as Error).message}); set up the authenticator app again.`);
    }
    if (!parsed.success) throw new IdentityError('record-damaged', 'The authenticator record is damaged; set up the authenticator app again.');
    return parsed.data;
  }

  private save(userId: string, record: z.infer<typeof totpRecordSchema>): Promise<void> {
    return this.store.write(this.key(userId), this.sealer.seal(Buffer.from(JSON.stringify(record)), this.context(userId)));
  }

  private context(userId: string): string {
    return `careshell.totp.v1:${userId}`;
  }
}
