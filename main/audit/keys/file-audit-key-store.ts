import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdir, open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditKeyStore, AuditSigningKey } from './audit-key-store.js';
import { keyIdOf } from './audit-key-store.js';

const PRIVATE_KEY_FILE = 'audit-signing-key.pem';
const PUBLIC_SUFFIX = '.pub.pem';

/**
 * Keeps the Ed25519 checkpoint key in a directory: the private key in a 0600 file (created on first use),
 * each public key as `<keyId>.pub.pem` so that retired keys still verify old checkpoints.
 */
export class FileAuditKeyStore implements AuditKeyStore {
  private cached?: Promise<AuditSigningKey>;

  constructor(private readonly directory: string) {}

  signingKey(): Promise<AuditSigningKey> {
    this.cached ??= this.loadOrCreate();
    return this.cached;
  }

  async publicKeys(): Promise<ReadonlyMap<string, KeyObject>> {
    return loadPublicKeys(this.directory);
  }

  private async loadOrCreate(): Promise<AuditSigningKey> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    const file = path.join(this.directory, PRIVATE_KEY_FILE);
    let pem: string;
    try {
      const info = await stat(file);
      if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
        throw new Error(
          `The audit signing key ${file} is readable by other users (mode ${(info.mode & 0o777).toString(8)}). ` +
            `Run "chmod 600 ${file}" and check who else had access; checkpoints it signed may not be trustworthy.`,
        );
      }
      pem = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
      // O_EXCL: two processes starting at once must not each write a different key.
      const handle = await open(file, 'wx', 0o600);
      try {
        await handle.writeFile(pem);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    const privateKey = createPrivateKey(pem);
    const publicKey = createPublicKey(privateKey);
    const keyId = keyIdOf(publicKey);
    const publicFile = path.join(this.directory, `${keyId}${PUBLIC_SUFFIX}`);
    await writeFile(publicFile, publicKey.export({ format: 'pem', type: 'spki' }), { mode: 0o644 });
    return { keyId, privateKey, publicKey };
  }
}

/** Reads every `*.pub.pem` in a directory (a key store directory or one an auditor was handed). */
export async function loadPublicKeys(directory: string): Promise<ReadonlyMap<string, KeyObject>> {
  const keys = new Map<string, KeyObject>();
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return keys;
    throw error;
  }
  for (const name of names.filter((n) => n.endsWith(PUBLIC_SUFFIX)).sort()) {
    const key = await loadPublicKeyFile(path.join(directory, name));
    keys.set(keyIdOf(key), key);
  }
  return keys;
}

export async function loadPublicKeyFile(file: string): Promise<KeyObject> {
  const text = await readFile(file, 'utf8');
  try {
    const key = createPublicKey(text);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`it is a ${key.asymmetricKeyType} key`);
    return key;
  } catch (error) {
    throw new Error(`${file} is not an Ed25519 public key in PEM form (${(error as Error).message}).`);
  }
}
