import { hash, parseOptions, verify, type Algorithm } from '@node-rs/argon2';
import { z } from 'zod';
import type { Clock } from '../../../common/clock.js';
import type { Random } from '../../../common/random.js';
import { IdentityError } from '../identity-error.js';
import { readRecord, writeRecord } from '../storage/json-records.js';
import { KeyedSerial } from '../storage/keyed-serial.js';
import type { KeyValueStore } from '../storage/key-value-store.js';
import { userKey } from '../storage/user-key.js';
import { PRODUCTION_ARGON2_PARAMETERS, argon2ParametersSchema, type Argon2Parameters } from './argon2-parameters.js';
import { DEFAULT_PIN_POLICY, pinPolicySchema, pinProblem, type PinPolicy } from './pin-policy.js';

export type PinVerifyResult =
  | { ok: true }
  /** retryInMs: the backoff before the next attempt is even checked (0 = at once). */
  | { ok: false; reason: 'wrong'; attemptsLeft: number; retryInMs: number }
  /** An attempt during the backoff: not checked and not counted. */
  | { ok: false; reason: 'too-soon'; retryInMs: number }
  /** Locked until a full sign-in (clearLockout); `newly` when this attempt caused it. */
  | { ok: false; reason: 'locked-out'; newly: boolean };

// @node-rs/argon2 declares Algorithm as a const enum, which isolated modules cannot read; 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

const backoffSchema = z.object({ startedAt: z.iso.datetime(), durationMs: z.number().int().min(0) });

const pinRecordSchema = z.object({
  v: z.literal(2),
  /** PHC string: algorithm, parameters, per-user salt and hash; never the PIN. */
  phc: z.string().startsWith('$argon2id$'),
  /** Consecutive wrong PINs since the last correct one or full sign-in. */
  failures: z.number().int().min(0),
  /** Backoff after the last wrong PIN: when it began (wall clock, for restarts) and how long it lasts. */
  backoff: backoffSchema.optional(),
  /** Set when maxAttempts wrong PINs locked the PIN; only a full sign-in (clearLockout) removes it. */
  lockedOutAt: z.iso.datetime().optional(),
});
type PinRecord = z.infer<typeof pinRecordSchema>;

/** Records written before version 2 (timed lockouts): any lockout they carry becomes a lock until full sign-in. */
const pinRecordV1Schema = z.object({
  v: z.literal(1),
  phc: z.string().startsWith('$argon2id$'),
  failures: z.number().int().min(0),
  lockouts: z.number().int().min(0),
  lockout: backoffSchema.optional(),
});
const storedPinRecordSchema = z
  .discriminatedUnion('v', [pinRecordSchema, pinRecordV1Schema])
  .transform((r): PinRecord => {
    if (r.v === 2) return r;
    const lockedOutAt = r.lockout?.startedAt ?? (r.lockouts > 0 ? new Date(0).toISOString() : undefined);
    return { v: 2, phc: r.phc, failures: r.failures, ...(lockedOutAt ? { lockedOutAt } : {}) };
  });

export interface PinServiceDeps {
  store: KeyValueStore;
  clock: Clock;
  random: Random;
  policy?: PinPolicy;
  argon2?: Argon2Parameters;
  /**
   * Secret mixed into every hash (argon2 "secret"), from the installation key store. Without it, a copied PIN
   * file can be brute-forced offline: a 6-digit PIN space is only 10^6 guesses.
   */
  pepper?: Uint8Array;
}

/**
 * Per-user PIN for re-verification at a locked workstation (docs/design.md#session-semantics). argon2id with
 * explicit parameters and a per-user random salt; argon2's verify compares digests in constant time. Each wrong
 * PIN starts a doubling backoff before the next one is checked; `maxAttempts` consecutive wrong PINs lock the PIN,
 * and the lock is stored, so only a full sign-in (clearLockout) lifts it: not time, not a restart, not a new PIN.
 * Results are returned, not audited: the session engine records each attempt once, with its session context.
 */
export class PinService {
  private readonly policy: PinPolicy;
  private readonly argon2: Argon2Parameters;
  /** Monotonic end of each user's current backoff, so wall-clock changes cannot shorten it in-process. */
  private readonly backoffUntilMono = new Map<string, number>();
  /** One operation per user at a time: two quick submissions must not both see "0 failures". */
  private readonly turns = new KeyedSerial();

  constructor(private readonly deps: PinServiceDeps) {
    this.policy = pinPolicySchema.parse(deps.policy ?? DEFAULT_PIN_POLICY);
    this.argon2 = argon2ParametersSchema.parse(deps.argon2 ?? PRODUCTION_ARGON2_PARAMETERS);
  }

  /** Sets or replaces the PIN; throws IdentityError('pin-rejected') with the reason the clinician should see. */
  setPin(userId: string, pin: string): Promise<void> {
    return this.turns.run(userId, async () => {
      const problem = pinProblem(pin, this.policy);
      if (problem) throw new IdentityError('pin-rejected', problem);
      const previous = await this.load(userId);
      // A new PIN does not lift a lock; only a full sign-in does (clearLockout).
      await this.save(userId, {
        v: 2,
        phc: await this.hash(pin),
        failures: 0,
        ...(previous?.lockedOutAt ? { lockedOutAt: previous.lockedOutAt } : {}),
      });
    });
  }

  hasPin(userId: string): Promise<boolean> {
    return this.load(userId).then((record) => record !== undefined);
  }

  removePin(userId: string): Promise<void> {
    return this.turns.run(userId, async () => {
      this.backoffUntilMono.delete(userId);
      await this.deps.store.delete(this.key(userId));
    });
  }

  /** After a full sign-in at the identity provider: the user has proven themselves, forgive the failures. */
  clearLockout(userId: string): Promise<void> {
    return this.turns.run(userId, async () => {
      this.backoffUntilMono.delete(userId);
      const record = await this.load(userId);
      if (record) await this.save(userId, { v: 2, phc: record.phc, failures: 0 });
    });
  }

  verify(userId: string, pin: string): Promise<PinVerifyResult> {
    return this.turns.run(userId, async () => {
      const record = await this.load(userId);
      if (!record) {
        throw new IdentityError('pin-not-set', 'No PIN is set for this account: sign in fully to set one.');
      }
      if (record.lockedOutAt) return { ok: false, reason: 'locked-out', newly: false };
      const waitMs = this.remainingBackoffMs(userId, record);
      if (waitMs > 0) return { ok: false, reason: 'too-soon', retryInMs: waitMs };
      if (await verify(record.phc, pin, this.deps.pepper ? { secret: this.deps.pepper } : undefined)) {
        this.backoffUntilMono.delete(userId);
        await this.save(userId, { v: 2, phc: await this.rehashIfOutdated(record.phc, pin), failures: 0 });
        return { ok: true };
      }
      const failures = record.failures + 1;
      if (failures >= this.policy.maxAttempts) {
        this.backoffUntilMono.delete(userId);
        await this.save(userId, {
          v: 2,
          phc: record.phc,
          failures,
          lockedOutAt: this.deps.clock.wallTime().toISOString(),
        });
        return { ok: false, reason: 'locked-out', newly: true };
      }
      const durationMs = Math.min(this.policy.backoffMaxMs, this.policy.backoffBaseMs * 2 ** (failures - 1));
      await this.save(userId, {
        v: 2,
        phc: record.phc,
        failures,
        backoff: { startedAt: this.deps.clock.wallTime().toISOString(), durationMs },
      });
      this.backoffUntilMono.set(userId, this.deps.clock.monotonicMs() + durationMs);
      return { ok: false, reason: 'wrong', attemptsLeft: this.policy.maxAttempts - failures, retryInMs: durationMs };
    });
  }

  private remainingBackoffMs(userId: string, record: PinRecord): number {
    if (!record.backoff) return 0;
    let deadline = this.backoffUntilMono.get(userId);
    if (deadline === undefined) {
      // First look since this process started: count from the wall-clock start, but a clock that reads
      // earlier than the start (set back, or a restart with a bad RTC) never shortens it.
      const elapsed = this.deps.clock.wallTime().getTime() - Date.parse(record.backoff.startedAt);
      const remaining = elapsed < 0 ? record.backoff.durationMs : Math.max(0, record.backoff.durationMs - elapsed);
      deadline = this.deps.clock.monotonicMs() + remaining;
      this.backoffUntilMono.set(userId, deadline);
    }
    return Math.max(0, Math.ceil(deadline - this.deps.clock.monotonicMs()));
  }

  private hash(pin: string): Promise<string> {
    const p = this.argon2;
    return hash(pin, {
      algorithm: ARGON2ID,
      memoryCost: p.memoryKiB,
      timeCost: p.iterations,
      parallelism: p.parallelism,
      outputLen: p.outputBytes,
      salt: this.deps.random.bytes(p.saltBytes),
      ...(this.deps.pepper ? { secret: this.deps.pepper } : {}),
    });
  }

  /** Hashes made under older (weaker or different) parameters are upgraded on the next correct PIN. */
  private async rehashIfOutdated(phc: string, pin: string): Promise<string> {
    const current = parseOptions(phc);
    const p = this.argon2;
    const same =
      current.memoryCost === p.memoryKiB &&
      current.timeCost === p.iterations &&
      current.parallelism === p.parallelism &&
      current.outputLen === p.outputBytes &&
      current.saltLen === p.saltBytes;
    return same ? phc : this.hash(pin);
  }

  private key(userId: string): string {
    return `pin/${userKey(userId)}`;
  }

  private load(userId: string): Promise<PinRecord | undefined> {
    return readRecord(this.deps.store, this.key(userId), storedPinRecordSchema, 'PIN');
  }

  private save(userId: string, record: PinRecord): Promise<void> {
    return writeRecord(this.deps.store, this.key(userId), record);
  }
}
