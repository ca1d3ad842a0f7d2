import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { messageOf } from '../../../common/errors.js';
import type { KeyProtector } from '../../app/installation-secrets.js';
import { writeFileAtomically } from '../atomic-file.js';
import { syncDirectory } from '../journal/segment-files.js';
import type { AuditKeyStore, AuditSigningKey } from './audit-key-store.js';
import { keyFingerprintOf, keyIdOf } from './audit-key-store.js';

const SEALED_KEY_FILE = 'audit-signing-key.sealed';
/** Where versions before the sealed key kept it, as plain PEM: migrated on first start. */
const PLAINTEXT_KEY_FILE = 'audit-signing-key.pem';
const PUBLIC_SUFFIX = '.pub.pem';

export interface FileAuditKeyStoreOptions {
  directory: string;
  /** Seals the private key at rest: the installation's KeyProtector (Electron safeStorage in the shell). */
  protector: KeyProtector;
  /** Makes the Ed25519 key on first start. */
  generateKey?: () => KeyObject;
}

/**
 * Keeps the Ed25519 checkpoint key in a directory: the private key sealed by the installation's
 * KeyProtector (the OS key store) in a 0600 file created on first use, each public key as
 * `<keyId>.pub.pem` so that retired keys still verify old checkpoints. Every file is written atomically.
 */
export class FileAuditKeyStore implements AuditKeyStore {
  private cached?: Promise<AuditSigningKey>;
  private readonly directory: string;
  readonly protector: KeyProtector;

  constructor(private readonly options: FileAuditKeyStoreOptions) {
    this.directory = options.directory;
    this.protector = options.protector;
  }

  signingKey(): Promise<AuditSigningKey> {
    this.cached ??= this.loadOrCreate();
    return this.cached;
  }

  async publicKeys(): Promise<ReadonlyMap<string, KeyObject>> {
    return loadPublicKeys(this.directory);
  }

  private async loadOrCreate(): Promise<AuditSigningKey> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    // Migration first, so a plain key left by a migration cut short (sealed, not yet removed) is removed too.
    const stored = (await this.migratePlaintext()) ?? (await this.readSealed());
    const privateKey = stored ?? (await this.create(this.generate()));
    const publicKey = createPublicKey(privateKey);
    const keyId = keyIdOf(publicKey);
    const publicFile = path.join(this.directory, `${keyId}${PUBLIC_SUFFIX}`);
    await writeFileAtomically(publicFile, publicKey.export({ format: 'pem', type: 'spki' }), { mode: 0o644 });
    return { keyId, fingerprint: keyFingerprintOf(publicKey), privateKey, publicKey, created: !stored };
  }

  private generate(): KeyObject {
    return this.options.generateKey?.() ?? generateKeyPairSync('ed25519').privateKey;
  }

  /** Stores a new key unless another process stored one first; returns the key that is stored. */
  private async create(privateKey: KeyObject): Promise<KeyObject> {
    const sealed = this.options.protector.protect(privateKey.export({ format: 'der', type: 'pkcs8' }));
    try {
      await writeFileAtomically(path.join(this.directory, SEALED_KEY_FILE), sealed, { mode: 0o600, exclusive: true });
      return privateKey;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return (await this.readSealed())!;
    }
  }

  private async readSealed(): Promise<KeyObject | undefined> {
    const file = path.join(this.directory, SEALED_KEY_FILE);
    const sealed = await readPrivateFile(file);
    if (!sealed) return undefined;
    const { protector } = this.options;
    try {
      return ed25519(createPrivateKey({ key: protector.unprotect(sealed), format: 'der', type: 'pkcs8' }));
    } catch (error) {
      throw new Error(
        `The audit signing key ${file} cannot be unlocked with ${protector.name} (${messageOf(error)}). Restore it from backup, ` +
          `or remove it to start with a new key (checkpoints signed with the old one still verify with its public key in ${this.directory}).`,
      );
    }
  }

  /**
   * Earlier versions kept the key as plain PEM. It is the installation's key, so it is kept (its old
   * checkpoints stay valid under the same key id): sealed like a new one, then the plain file removed.
   */
  private async migratePlaintext(): Promise<KeyObject | undefined> {
    const file = path.join(this.directory, PLAINTEXT_KEY_FILE);
    const pem = await readPrivateFile(file);
    if (!pem) return undefined;
    let key: KeyObject;
    try {
      key = ed25519(createPrivateKey(pem));
    } catch (error) {
      throw new Error(
        `The audit signing key ${file} from an earlier CareShell is not a usable Ed25519 key (${messageOf(error)}); restore it from backup or remove it.`,
      );
    }
    const stored = await this.create(key);
    await rm(file);
    await syncDirectory(this.directory);
    return stored;
  }
}

/** A private key file's bytes (undefined when there is none), refused when others could read it. */
async function readPrivateFile(file: string): Promise<Buffer | undefined> {
  try {
    const info = await stat(file);
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
      throw new Error(
        `The audit signing key ${file} is readable by other users (mode ${(info.mode & 0o777).toString(8)}). ` +
          `Run "chmod 600 ${file}" and check who else had access; checkpoints it signed may not be trustworthy.`,
      );
    }
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function ed25519(key: KeyObject): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`it is a ${key.asymmetricKeyType} key, not Ed25519`);
  return key;
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
    return ed25519(createPublicKey(text));
  } catch (error) {
    throw new Error(`${file} is not an Ed25519 public key in PEM form (${messageOf(error)}).`);
  }
}
