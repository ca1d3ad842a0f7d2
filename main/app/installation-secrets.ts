import { hkdfSync } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { messageOf } from '../../common/errors.js';
import type { Random } from '../../common/random.js';

/** Protects the installation key at rest: Electron safeStorage (OS keychain / DPAPI) in the shell. */
export interface KeyProtector {
  readonly name: string;
  protect(plain: Buffer): Buffer;
  unprotect(sealed: Buffer): Buffer;
}

/** Independent keys derived from one installation key, so no key serves two purposes. */
export interface InstallationSecrets {
  /** HMAC key for badge ids (badge-hasher.ts). */
  badgeHashKey: Uint8Array;
  /** AES-GCM key sealing token caches and TOTP secrets. */
  sealKey: Uint8Array;
  /** argon2 secret mixed into PIN hashes. */
  pinPepper: Uint8Array;
}

const KEY_FILE = 'installation.key';

/**
 * Loads this installation's 32-byte key, creating it on first start, and derives the purpose keys with
 * HKDF-SHA256. A key file that cannot be unprotected is an error for IT, never silently replaced: replacing
 * it would orphan every enrolled badge and PIN.
 */
export async function loadInstallationSecrets(
  dataDir: string,
  protector: KeyProtector,
  random: Random,
): Promise<InstallationSecrets> {
  const file = path.join(dataDir, KEY_FILE);
  let key: Buffer;
  try {
    const sealed = await readFile(file);
    try {
      key = protector.unprotect(sealed);
    } catch (error) {
      throw new Error(
        `The installation key ${file} cannot be unlocked with ${protector.name} (${messageOf(error)}). ` +
          'Restore it from backup, or remove it to start over (every badge must then be enrolled again).',
      );
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    key = Buffer.from(random.bytes(32));
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await writeFile(file, protector.protect(key), { mode: 0o600, flag: 'wx' });
  }
  if (key.length !== 32) throw new Error(`The installation key ${file} is damaged (${key.length} bytes, expected 32).`);
  const derive = (purpose: string) =>
    new Uint8Array(hkdfSync('sha256', key, Buffer.alloc(0), `careshell ${purpose}`, 32));
  return { badgeHashKey: derive('badge-hash'), sealKey: derive('identity-seal'), pinPepper: derive('pin-pepper') };
}
