import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { Random } from '../../../common/random.js';

/**
 * Authenticated encryption for data at rest (token caches, TOTP secrets). `context` is bound into the seal
 * (AES-GCM additional data), so a sealed blob moved to another user's slot fails to open instead of being used.
 * In the shell the key comes from a random data key protected by Electron safeStorage; elsewhere from the
 * installation key store.
 */
export interface Sealer {
  seal(plain: Uint8Array, context: string): Uint8Array;
  /** Throws SealBrokenError when the blob was altered, truncated, sealed with another key or for another context. */
  open(sealed: Uint8Array, context: string): Uint8Array;
}

export class SealBrokenError extends Error {
  constructor(reason: string) {
    super(`Encrypted data could not be opened (${reason}); it was altered, or sealed with another key.`);
    this.name = 'SealBrokenError';
  }
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** `random` supplies each seal's IV: AES-GCM needs a fresh one per seal under the same key. */
export function createAesGcmSealer(key: Uint8Array, random: Random): Sealer {
  if (key.length !== 32) throw new Error('The sealing key must be exactly 32 bytes (AES-256); regenerate it.');
  const keyBuffer = Buffer.from(key);
  return {
    seal(plain, context) {
      const iv = random.bytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keyBuffer, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return new Uint8Array(Buffer.concat([Buffer.of(VERSION), iv, cipher.getAuthTag(), body]));
    },
    open(sealed, context) {
      if (sealed.length < 1 + IV_BYTES + TAG_BYTES) throw new SealBrokenError('too short');
      if (sealed[0] !== VERSION) throw new SealBrokenError(`unknown format version ${sealed[0]}`);
      const bytes = Buffer.from(sealed);
      const decipher = createDecipheriv('aes-256-gcm', keyBuffer, bytes.subarray(1, 1 + IV_BYTES));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
      try {
        return new Uint8Array(
          Buffer.concat([decipher.update(bytes.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]),
        );
      } catch {
        throw new SealBrokenError('authentication tag mismatch');
      }
    },
  };
}
