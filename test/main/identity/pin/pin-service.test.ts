import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../common/manual-clock.js';
import { IdentityError } from '../../../../main/identity/identity-error.js';
import type { PinPolicy } from '../../../../main/identity/pin/pin-policy.js';
import { PinService } from '../../../../main/identity/pin/pin-service.js';
import { MemoryKeyValueStore } from '../../../../main/identity/storage/key-value-store.js';
import { TEST_ARGON2, auditHarness, countingRandom } from '../identity-fixtures.js';

const POLICY: PinPolicy = { minLength: 4, maxAttempts: 3, backoffBaseMs: 30_000, backoffMaxMs: 120_000, rejectTrivial: true };

function setup(store = new MemoryKeyValueStore(), clock = new ManualClock(), pepper?: Uint8Array) {
  const harness = auditHarness(clock);
  const pins = new PinService({ store, clock, random: countingRandom(), audit: harness.audit, policy: POLICY, argon2: TEST_ARGON2, pepper });
  return { pins, store, ...harness };
}

async function allStoredText(store: MemoryKeyValueStore): Promise<string> {
  const keys = await store.list('');
  const parts = await Promise.all(keys.map(async (k) => Buffer.from((await store.read(k))!).toString('utf8')));
  return parts.join('\n');
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

  it('counts down attempts, then locks out with doubling backoff that even a correct PIN cannot bypass', async () => {
    const { pins, clock, types } = setup();
    await pins.setPin('alice', '482913');
    expect(await pins.verify('alice', '000001')).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 2 });
    expect(await pins.verify('alice', '000002')).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 1 });
    expect(await pins.verify('alice', '000003')).toEqual({ ok: false, reason: 'locked-out', retryInMs: 30_000 });
    clock.advance(10_000);
    expect(await pins.verify('alice', '482913')).toEqual({ ok: false, reason: 'locked-out', retryInMs: 20_000 });
    clock.advance(20_000);
    expect(await pins.verify('alice', '482913')).toEqual({ ok: true });
    // The lockout count survives a correct PIN: the next wrong one locks again, for twice as long.
    expect(await pins.verify('alice', '000004')).toEqual({ ok: false, reason: 'locked-out', retryInMs: 60_000 });
    clock.advance(60_000);
    expect(await pins.verify('alice', '000005')).toEqual({ ok: false, reason: 'locked-out', retryInMs: 120_000 });
    clock.advance(120_000);
    expect(await pins.verify('alice', '000006')).toEqual({ ok: false, reason: 'locked-out', retryInMs: 120_000 });
    expect(types().filter((t) => t === 'pin.lockout')).toHaveLength(4);
    expect(types()).toContain('pin.failure');
  });

  it('only a full sign-in (clearLockout) forgives lockouts', async () => {
    const { pins } = setup();
    await pins.setPin('alice', '482913');
    for (const wrong of ['1', '2', '3']) await pins.verify('alice', `00000${wrong}`);
    await pins.setPin('alice', '592813');
    expect((await pins.verify('alice', '592813')).ok).toBe(false);
    await pins.clearLockout('alice');
    expect(await pins.verify('alice', '000009')).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 2 });
    expect(await pins.verify('alice', '592813')).toEqual({ ok: true });
  });

  it('keeps a lockout across a restart, and a wall clock set back does not shorten it', async () => {
    const store = new MemoryKeyValueStore();
    const first = setup(store);
    await first.pins.setPin('alice', '482913');
    for (const wrong of ['1', '2', '3']) await first.pins.verify('alice', `00000${wrong}`);
    first.clock.advance(5_000);

    const restarted = new ManualClock(first.clock.wallTime());
    const second = setup(store, restarted);
    expect(await second.pins.verify('alice', '482913')).toEqual({ ok: false, reason: 'locked-out', retryInMs: 25_000 });

    const setBack = new ManualClock(new Date(first.clock.wallTime().getTime() - 3_600_000));
    const third = setup(store, setBack);
    expect(await third.pins.verify('alice', '482913')).toEqual({ ok: false, reason: 'locked-out', retryInMs: 30_000 });
  });

  it('changing the wall clock while running does not shorten a lockout', async () => {
    const { pins, clock } = setup();
    await pins.setPin('alice', '482913');
    for (const wrong of ['1', '2', '3']) await pins.verify('alice', `00000${wrong}`);
    clock.jumpWallClock(24 * 3_600_000);
    expect(await pins.verify('alice', '482913')).toEqual({ ok: false, reason: 'locked-out', retryInMs: 30_000 });
  });

  it('serialises concurrent attempts so each one counts', async () => {
    const { pins } = setup();
    await pins.setPin('alice', '482913');
    const results = await Promise.all([pins.verify('alice', '000001'), pins.verify('alice', '000002'), pins.verify('alice', '000003')]);
    expect(results).toEqual([
      { ok: false, reason: 'wrong', attemptsLeft: 2 },
      { ok: false, reason: 'wrong', attemptsLeft: 1 },
      { ok: false, reason: 'locked-out', retryInMs: 30_000 },
    ]);
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
    const harness = auditHarness();
    const stronger = new PinService({
      store, clock: harness.clock, random: countingRandom(), audit: harness.audit, policy: POLICY,
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
    expect((error as Error).message).toMatch(/PIN record .* damaged at "phc"/);
  });
});
