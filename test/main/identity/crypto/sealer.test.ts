import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SealBrokenError, createAesGcmSealer } from '../../../../main/identity/crypto/sealer.js';

describe('AES-GCM sealer', () => {
  const sealer = createAesGcmSealer(new Uint8Array(32).fill(7));

  it('round-trips, and any single flipped bit, other context or other key is refused', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), fc.nat(), (plain, where) => {
        const sealed = sealer.seal(plain, 'user-a');
        expect(Buffer.from(sealer.open(sealed, 'user-a'))).toEqual(Buffer.from(plain));
        const tampered = new Uint8Array(sealed);
        tampered[where % tampered.length]! ^= 1 << (where % 8);
        expect(() => sealer.open(tampered, 'user-a')).toThrow(SealBrokenError);
        expect(() => sealer.open(sealed, 'user-b')).toThrow(SealBrokenError);
      }),
      { numRuns: 300 },
    );
    const other = createAesGcmSealer(new Uint8Array(32).fill(8));
    expect(() => other.open(sealer.seal(Buffer.from('x'), 'c'), 'c')).toThrow(/altered, or sealed with another key/);
  });

  it('demands a 256-bit key', () => {
    expect(() => createAesGcmSealer(new Uint8Array(16))).toThrow(/32 bytes/);
  });
});
