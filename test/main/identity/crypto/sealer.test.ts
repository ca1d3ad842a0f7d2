import { describe, expect, it } from 'vitest';
import { systemRandom, type Random } from '../../../../common/random.js';
import { createAesGcmSealer } from '../../../../main/identity/crypto/sealer.js';

// Round trip and tampering over generated plaintexts: sealer.property.test.ts.
describe('AES-GCM sealer', () => {
  const sealer = createAesGcmSealer(new Uint8Array(32).fill(7), systemRandom);

  it('refuses what another key sealed, saying it may have been altered', () => {
    const other = createAesGcmSealer(new Uint8Array(32).fill(8), systemRandom);
    expect(() => other.open(sealer.seal(Buffer.from('x'), 'c'), 'c')).toThrow(/altered, or sealed with another key/);
  });

  it('takes each IV from the injected Random', () => {
    const asked: number[] = [];
    const fixed: Random = {
      uuid: () => 'unused',
      bytes: (length) => (asked.push(length), new Uint8Array(length).fill(0xa5)),
    };
    const seeded = createAesGcmSealer(new Uint8Array(32).fill(7), fixed);
    const sealed = seeded.seal(Buffer.from('same'), 'c');
    expect(asked).toEqual([12]);
    expect(Buffer.from(sealed.subarray(1, 13))).toEqual(Buffer.alloc(12, 0xa5));
    // The same IV, key and input give the same seal: the IV came from nowhere else.
    expect(Buffer.from(seeded.seal(Buffer.from('same'), 'c'))).toEqual(Buffer.from(sealed));
    expect(Buffer.from(seeded.open(sealed, 'c')).toString()).toBe('same');
  });

  it('demands a 256-bit key', () => {
    expect(() => createAesGcmSealer(new Uint8Array(16), systemRandom)).toThrow(/32 bytes/);
  });
});
