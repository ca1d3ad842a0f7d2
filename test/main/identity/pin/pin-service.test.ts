import { describe, expect, it } from 'vitest';
import { messageOf } from '../../../../common/errors.js';
import { ManualClock } from '../../../../common/manual-clock.js';
import { IdentityError } from '../../../../main/identity/identity-error.js';
import type { PinPolicy } from '../../../../main/identity/pin/pin-policy.js';
import { PinService } from '../../../../main/identity/pin/pin-service.js';
import { MemoryKeyValueStore } from '../../../../main/identity/storage/key-value-store.js';
import { TEST_ARGON2, countingRandom } from '../identity-fixtures.js';

const POLICY: PinPolicy = {
  minLength: 4,
  maxAttempts: 3,
  backoffBaseMs: 1_000,
  backoffMaxMs: 1_500,
  rejectTrivial: true,
};

function setup(store = new MemoryKeyValueStore(), clock = new ManualClock(), pepper?: Uint8Array) {
  const pins = new PinService({ store, clock, random: countingRandom(), policy: POLICY, argon2: TEST_ARGON2, pepper });
  return { pins, store, clock };
}

async function allStoredText(store: MemoryKeyValueStore): Promise<string> {
  const keys = await store.list('');
  const parts = await Promise.all(keys.map(async (k) => Buffer.from((await store.read(k))!).toString('utf8')));
  return parts.join('\n');
}

/** Wrong PINs until the lock, each after its backoff has passed. */
async function lockOut(pins: PinService, clock: ManualClock, userId = 'alice'): Promise<void> {
  for (let i = 1; i <= POLICY.maxAttempts; i++) {
    await pins.verify(userId, `00000${i}`);
    clock.advance(POLICY.backoffMaxMs);
  }
}

describe('PinService', () => {
  it('stores only an argon2id hash with the configured parameters and a per-user salt', async () => {
    const { pins, store } = setup();
    await pins.setPin('alice', '482913');
    await pins.setPin('bob', '482913');
    const text = await allStoredText(store);
    expect(text).not.toContain('482913');
    const phcs = [...text.matchAll(/"phc":"([^"]+)"/g)].map((m) => m[1]!);
    expect(phcs).toHaveLength(2);
    for (const phc of phcs) expect(phc).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(phcs[0]).not.toBe(phcs[1]);
    expect(await pins.verify('alice', '482913')).toEqual({ ok: true });
    expect(await pins.verify('bob', '482913')).toEqual({ ok: true });
  });

  it('refuses PINs the policy forbids, with a reason the clinician can act on', async () => {
    const { pins } = setup();
    for (const bad of ['12a4', '123', '1111', '123456', '9876', '1234567890123']) {
      await expect(pins.setPin('alice', bad)).rejects.toMatchObject({ code: 'pin-rejected' });
    }
    await expect(pins.setPin('alice', '4829')).resolves.toBeUndefined();
  });

  it('backs off after each wrong PIN (doubling, capped); an attempt during the backoff is neither checked nor counted', async () => {
    const { pins, clock } = setup();
    await pins.setPin('alice', '482913');
    expect(await pins.verify('alice', '000001')).toEqual({
      ok: false,
      reason: 'wrong',
      attemptsLeft: 2,
      retryInMs: 1_000,
    });
    clock.advance(400);
    expect(await pins.verify('alice', '482913')).toEqual({ ok: false, reason: 'too-soon', retryInMs: 600 });
    clock.advance(600);
    expect(await pins.verify('alice', '000002')).toEqual({
      ok: false,
      reason: 'wrong',
      attemptsLeft: 1,
      retryInMs: 1_500,
    });
    clock.advance(1_500);
    expect(await pins.verify('alice', '482913')).toEqual({ ok: true });
    // A correct PIN resets the count.
    expect(await pins.verify('alice', '000003')).toEqual({
      ok: false,
      reason: 'wrong',
      attemptsLeft: 2,
      retryInMs: 1_000,
    });
  });

  it('locks after maxAttempts wrong PINs, and neither time, a correct PIN nor a new PIN lifts the lock', async () => {
    const { pins, clock } = setup();
    await pins.setPin('alice', '482913');
    await pins.verify('alice', '000001');
    clock.advance(1_000);
    await pins.verify('alice', '000002');
    clock.advance(1_500);
    expect(await pins.verify('alice', '000003')).toEqual({ ok: false, reason: 'locked-out', newly: true });
    clock.advance(24 * 3_600_000);
    expect(await pins.verify('alice', '482913')).toEqual({ ok: false, reason: 'locked-out', newly: false });
    await pins.setPin('alice', '592813');
    expect(await pins.verify('alice', '592813')).toEqual({ ok: false, reason: 'locked-out', newly: false });
  });

  it('only a full sign-in (clearLockout) lifts the lock', async () => {
    const { pins, clock } = setup();
    await pins.setPin('alice', '482913');
    await lockOut(pins, clock);
    await pins.clearLockout('alice');
    expect(await pins.verify('alice', '000009')).toEqual({
      ok: false,
      reason: 'wrong',
      attemptsLeft: 2,
      retryInMs: 1_000,
    });
    clock.advance(1_000);
    expect(await pins.verify('alice', '482913')).toEqual({ ok: true });
  });

  it('keeps the lock across a restart', async () => {
    const store = new MemoryKeyValueStore();
    const first = setup(store);
    await first.pins.setPin('alice', '482913');
    await lockOut(first.pins, first.clock);
    const restarted = setup(store, new ManualClock(first.clock.wallTime()));
    expect(await restarted.pins.verify('alice', '482913')).toEqual({ ok: false, reason: 'locked-out', newly: false });
  });

  it('keeps a backoff across a restart, and a wall clock set back does not shorten it', async () => {
    const store = new MemoryKeyValueStore();
    const first = setup(store);
    await first.pins.setPin('alice', '482913');
    await first.pins.verify('alice', '000001');
    first.clock.advance(300);
    const restarted = setup(store, new ManualClock(first.clock.wallTime()));
    expect(await restarted.pins.verify('alice', '482913')).toEqual({ ok: false, reason: 'too-soon', retryInMs: 700 });
    const setBack = setup(store, new ManualClock(new Date(first.clock.wallTime().getTime() - 3_600_000)));
    expect(await setBack.pins.verify('alice', '482913')).toEqual({ ok: false, reason: 'too-soon', retryInMs: 1_000 });
  });

  it('changing the wall clock while running does not shorten a backoff', async () => {
    const { pins, clock } = setup();
    await pins.setPin('alice', '482913');
    await pins.verify('alice', '000001');
    clock.jumpWallClock(24 * 3_600_000);
    expect(await pins.verify('alice', '482913')).toEqual({ ok: false, reason: 'too-soon', retryInMs: 1_000 });
  });

  it('serialises concurrent attempts so none slips past the backoff', async () => {
    const { pins } = setup();
    await pins.setPin('alice', '482913');
    const results = await Promise.all([
      pins.verify('alice', '000001'),
      pins.verify('alice', '482913'),
      pins.verify('alice', '482913'),
    ]);
    expect(results).toEqual([
      { ok: false, reason: 'wrong', attemptsLeft: 2, retryInMs: 1_000 },
      { ok: false, reason: 'too-soon', retryInMs: 1_000 },
      { ok: false, reason: 'too-soon', retryInMs: 1_000 },
    ]);
  });

  it('reads records written before version 2: a timed lockout becomes a lock until full sign-in', async () => {
    const { pins, store } = setup();
    await pins.setPin('alice', '482913');
    const [key] = await store.list('pin/');
    const v2 = JSON.parse(Buffer.from((await store.read(key!))!).toString('utf8')) as { phc: string };
    const v1 = {
      v: 1,
      phc: v2.phc,
      failures: 0,
      lockouts: 1,
      lockout: { startedAt: '2026-01-01T00:00:00.000Z', durationMs: 30_000 },
    };
    await store.write(key!, Buffer.from(JSON.stringify(v1)));
    expect(await pins.verify('alice', '482913')).toEqual({ ok: false, reason: 'locked-out', newly: false });
    await pins.clearLockout('alice');
    expect(await pins.verify('alice', '482913')).toEqual({ ok: true });
    await store.write(key!, Buffer.from(JSON.stringify({ ...v1, lockouts: 0, lockout: undefined })));
    expect(await pins.verify('alice', '482913')).toEqual({ ok: true });
  });

  it('a peppered hash does not verify without the installation pepper', async () => {
    const store = new MemoryKeyValueStore();
    const peppered = setup(store, new ManualClock(), new Uint8Array(32).fill(9));
    await peppered.pins.setPin('alice', '482913');
    expect(await peppered.pins.verify('alice', '482913')).toEqual({ ok: true });
    const unpeppered = setup(store);
    expect((await unpeppered.pins.verify('alice', '482913')).ok).toBe(false);
  });

  it('upgrades a hash made with older parameters on the next correct PIN', async () => {
    const store = new MemoryKeyValueStore();
    await setup(store).pins.setPin('alice', '482913');
    const stronger = new PinService({
      store,
      clock: new ManualClock(),
      random: countingRandom(),
      policy: POLICY,
      argon2: { ...TEST_ARGON2, memoryKiB: 2048, iterations: 2 },
    });
    expect(await stronger.verify('alice', '482913')).toEqual({ ok: true });
    expect(await allStoredText(store)).toContain('m=2048,t=2,p=1');
  });

  it('says clearly when there is no PIN or the record is damaged', async () => {
    const { pins, store } = setup();
    await expect(pins.verify('nobody', '482913')).rejects.toMatchObject({ code: 'pin-not-set' });
    await pins.setPin('alice', '482913');
    const [key] = await store.list('pin/');
    await store.write(key!, Buffer.from('{"v":1,"phc":"x"}'));
    const error = await pins.verify('alice', '482913').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdentityError);
    expect((error as IdentityError).code).toBe('record-damaged');
    expect(messageOf(error)).toMatch(/PIN record .* damaged at "phc"/);
  });
});
