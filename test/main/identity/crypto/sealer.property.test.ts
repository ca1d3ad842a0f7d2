import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { systemRandom } from '../../../../common/random.js';
import { SealBrokenError, createAesGcmSealer } from '../../../../main/identity/crypto/sealer.js';

describe('AES-GCM sealer over generated plaintexts', () => {
  const sealer = createAesGcmSealer(new Uint8Array(32).fill(7), systemRandom);

  it('round-trips, and any single flipped bit or other context is refused', () => {
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
  });
});
