import { hash, parseOptions, verify, type Algorithm } from '@node-rs/argon2';
import { z } from 'zod';
import type { Clock } from '../../../common/clock.js';
import type { Random } from '../../../common/random.js';
import type { IdentityAudit } from '../identity-audit.js';
import { IdentityError } from '../identity-error.js';
import { readRecord, writeRecord } from '../storage/json-records.js';
import type { KeyValueStore } from '../storage/key-value-store.js';
import { userKey } from '../storage/user-key.js';
import { PRODUCTION_ARGON2_PARAMETERS, argon2ParametersSchema, type Argon2Parameters } from './argon2-parameters.js';
import { DEFAULT_PIN_POLICY, pinPolicySchema, pinProblem, type PinPolicy } from './pin-policy.js';

export type PinVerifyResult =
  | { ok: true }
  | { ok: false; reason: 'wrong'; attemptsLeft: number }
  | { ok: false; reason: 'locked-out'; retryInMs: number };

// @node-rs/argon2 declares Algorithm as a const enum, which isolated modules cannot read; 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

const pinRecordSchema = z.object({
  v: z.literal(1),
  /** PHC string: algorithm, parameters, per-user salt and hash; never the PIN. */
  phc: z.string().startsWith('$argon2id$'),
  /** Consecutive wrong PINs since the last success or lockout. */
  failures: z.number().int().min(0),
  /** Lockouts since the last full sign-in: sets the backoff, cleared only by a full sign-in. */
  lockouts: z.number().int().min(0),
  /** The current lockout, if any: when it began (wall clock, for restarts) and how long it lasts. */
  lockout: z.object({ startedAt: z.iso.datetime(), durationMs: z.number().int().min(0) }).optional(),
});
type PinRecord = z.infer<typeof pinRecordSchema>;

export interface PinServiceDeps {
  store: KeyValueStore;
  clock: Clock;
  random: Random;
  audit: IdentityAudit;
  policy?: PinPolicy;
  argon2?: Argon2Parameters;
  /**
   * Secret mixed into every hash (argon2 "secret"), from the installation key store. Without it, a copied PIN
   * file can be brute-forced offline: a 6-digit PIN space is only 10^6 guesses.
   */
  pepper?: Uint8Array;
}

/**
 * Per-user PIN for re-verification at a locked workstation (DESIGN.md §3). argon2id with explicit parameters
 * and a per-user random salt; argon2's verify compares digests in constant time. After `maxAttempts`
 * consecutive wrong PINs the PIN is locked out; each later lockout doubles (exponential backoff, capped), and
 * the lockout count survives restarts and successes: only a full sign-in (clearLockout) resets it.
 */
export class PinService {
  private readonly policy: PinPolicy;
  private readonly argon2: Argon2Parameters;
  /** Monotonic deadline of each user's current lockout, so wall-clock changes cannot shorten it in-process. */
  private readonly lockedUntilMono = new Map<string, number>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: PinServiceDeps) {
    this.policy = pinPolicySchema.parse(deps.policy ?? DEFAULT_PIN_POLICY);
    this.argon2 = argon2ParametersSchema.parse(deps.argon2 ?? PRODUCTION_ARGON2_PARAMETERS);
  }

  /** Sets or replaces the PIN; throws IdentityError('pin-rejected') with the reason the clinician should see. */
  setPin(userId: string, pin: string): Promise<void> {
    return this.serial(userId, async () => {
      const problem = pinProblem(pin, this.policy);
      if (problem) throw new IdentityError('pin-rejected', problem);
      const previous = await this.load(userId);
      await this.save(userId, {
        v: 1,
        phc: await this.hash(pin),
        failures: 0,
        // A new PIN does not forgive earlier or running lockouts; only a full sign-in does (clearLockout).
        lockouts: previous?.lockouts ?? 0,
        lockout: previous?.lockout,
      });
    });
  }

  hasPin(userId: string): Promise<boolean> {
    return this.load(userId).then((record) => record !== undefined);
  }

  removePin(userId: string): Promise<void> {
    return this.serial(userId, async () => {
      this.lockedUntilMono.delete(userId);
      await this.deps.store.delete(this.key(userId));
    });
  }

  /** After a full sign-in at the identity provider: the user has proven themselves, forgive the failures. */
  clearLockout(userId: string): Promise<void> {
    return this.serial(userId, async () => {
      this.lockedUntilMono.delete(userId);
      const record = await this.load(userId);
      if (record) await this.save(userId, { ...record, failures: 0, lockouts: 0, lockout: undefined });
    });
  }

  verify(userId: string, pin: string): Promise<PinVerifyResult> {
    return this.serial(userId, async () => {
      const record = await this.load(userId);
      if (!record) {
        throw new IdentityError('pin-not-set', 'No PIN is set for this account: sign in fully to set one.');
      }
      const retryInMs = this.remainingLockoutMs(userId, record);
      if (retryInMs > 0) {
        await this.deps.audit.record('pin.failure', 'failure', {
          actor: { userId },
          reason: 'PIN entered during lockout',
          details: { retryInMs },
        });
        return { ok: false, reason: 'locked-out', retryInMs };
      }
      if (await verify(record.phc, pin, this.deps.pepper ? { secret: this.deps.pepper } : undefined)) {
        await this.save(userId, { ...record, failures: 0, lockout: undefined, phc: await this.rehashIfOutdated(record.phc, pin) });
        return { ok: true };
      }
      // After a lockout every wrong PIN locks again, for longer; before the first, maxAttempts are allowed.
      const allowed = record.lockouts > 0 ? 1 : this.policy.maxAttempts;
      const failures = record.failures + 1;
      if (failures < allowed) {
        await this.save(userId, { ...record, failures, lockout: undefined });
        const attemptsLeft = allowed - failures;
        await this.deps.audit.record('pin.failure', 'failure', { actor: { userId }, reason: 'wrong PIN', details: { attemptsLeft } });
        return { ok: false, reason: 'wrong', attemptsLeft };
      }
      const lockouts = record.lockouts + 1;
      const durationMs = Math.min(this.policy.backoffMaxMs, this.policy.backoffBaseMs * 2 ** (lockouts - 1));
      await this.save(userId, {
        ...record,
        failures: 0,
        lockouts,
        lockout: { startedAt: this.deps.clock.wallTime().toISOString(), durationMs },
      });
      this.lockedUntilMono.set(userId, this.deps.clock.monotonicMs() + durationMs);
      await this.deps.audit.record('pin.lockout', 'failure', {
        actor: { userId },
        reason: `${failures} wrong PIN${failures === 1 ? '' : 's'}; lockout ${lockouts} since last full sign-in`,
        details: { lockouts, durationMs },
      });
      return { ok: false, reason: 'locked-out', retryInMs: durationMs };
    });
  }

  private remainingLockoutMs(userId: string, record: PinRecord): number {
    if (!record.lockout) return 0;
    let deadline = this.lockedUntilMono.get(userId);
    if (deadline === undefined) {
      // First look since this process started: count from the wall-clock start, but a clock that reads
      // earlier than the lockout start (set back, or a restart with a bad RTC) never shortens it.
      const elapsed = this.deps.clock.wallTime().getTime() - Date.parse(record.lockout.startedAt);
      const remaining = elapsed < 0 ? record.lockout.durationMs : Math.max(0, record.lockout.durationMs - elapsed);
      deadline = this.deps.clock.monotonicMs() + remaining;
      this.lockedUntilMono.set(userId, deadline);
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
    return readRecord(this.deps.store, this.key(userId), pinRecordSchema, 'PIN');
  }

  private save(userId: string, record: PinRecord): Promise<void> {
    return writeRecord(this.deps.store, this.key(userId), record);
  }

  /** One operation per user at a time: two quick submissions must not both see "0 failures". */
  private serial<T>(userId: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(userId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(operation);
    this.queues.set(userId, next);
    void next.finally(() => {
      if (this.queues.get(userId) === next) this.queues.delete(userId);
    }).catch(() => undefined);
    return next;
  }
}
