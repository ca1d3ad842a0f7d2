import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../common/manual-clock.js';
import { createAesGcmSealer } from '../../../../main/identity/crypto/sealer.js';
import { TotpAuthenticator } from '../../../../main/identity/step-up/totp-authenticator.js';
import { MemoryKeyValueStore } from '../../../../main/identity/storage/key-value-store.js';
import { countingRandom } from '../identity-fixtures.js';

function setup() {
  const clock = new ManualClock();
  const store = new MemoryKeyValueStore();
  const totp = new TotpAuthenticator(store, createAesGcmSealer(new Uint8Array(32).fill(3), countingRandom()), clock);
  const codeAt = (secret: string) => generate({ secret, epoch: Math.floor(clock.wallTime().getTime() / 1000) });
  return { clock, store, totp, codeAt };
}

describe('TotpAuthenticator setup', () => {
  it('holds a new secret aside until the app proves it has it, then uses it', async () => {
    const { totp, codeAt, clock } = setup();
    const { secret } = await totp.beginEnrollment('u-ana', 'ana');
    expect(await totp.isEnrolled('u-ana')).toBe(false);
    expect(await totp.confirmEnrollment('u-ana', '000000')).toBe(false);
    expect(await totp.isEnrolled('u-ana')).toBe(false);
    expect(await totp.confirmEnrollment('u-ana', await codeAt(secret))).toBe(true);
    expect(await totp.isEnrolled('u-ana')).toBe(true);
    clock.advance(30_000);
    expect(await totp.verify('u-ana', await codeAt(secret))).toBe(true);
  });

  it('a second setup left unfinished does not replace the secret in use', async () => {
    const { totp, codeAt, clock } = setup();
    const first = await totp.beginEnrollment('u-ana', 'ana');
    await totp.confirmEnrollment('u-ana', await codeAt(first.secret));
    await totp.beginEnrollment('u-ana', 'ana');
    clock.advance(30_000);
    expect(await totp.verify('u-ana', await codeAt(first.secret))).toBe(true);
  });

  it('the code that confirmed the setup is not accepted again as a step-up', async () => {
    const { totp, codeAt } = setup();
    const { secret } = await totp.beginEnrollment('u-ana', 'ana');
    const code = await codeAt(secret);
    expect(await totp.confirmEnrollment('u-ana', code)).toBe(true);
    expect(await totp.verify('u-ana', code)).toBe(false);
  });

  it('says clearly when no setup is in progress, and remove takes both the factor and a pending setup', async () => {
    const { totp, codeAt, store } = setup();
    await expect(totp.confirmEnrollment('u-ana', '123456')).rejects.toThrow(
      /No authenticator app setup is in progress/,
    );
    const { secret } = await totp.beginEnrollment('u-ana', 'ana');
    await totp.confirmEnrollment('u-ana', await codeAt(secret));
    await totp.beginEnrollment('u-ana', 'ana');
    await totp.remove('u-ana');
    expect(await store.list('totp')).toEqual([]);
  });
});
