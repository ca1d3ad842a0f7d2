import type { KeyObject } from 'node:crypto';
import { createHash } from 'node:crypto';

/** The installation's checkpoint-signing key (Ed25519). */
export interface AuditSigningKey {
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * Where the journal gets its signing key, and verification its trusted public keys. The app uses
 * FileAuditKeyStore (file-audit-key-store.ts), whose private key file is sealed by the OS key store.
 */
export interface AuditKeyStore {
  signingKey(): Promise<AuditSigningKey>;
  /** Every public key whose checkpoints verification should accept (current and retired), by key id. */
  publicKeys(): Promise<ReadonlyMap<string, KeyObject>>;
}

/** A short, stable name for a public key: SHA-256 of its SPKI DER, first 16 bytes, hex. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return createHash('sha256').update(der).digest('hex').slice(0, 32);
}
