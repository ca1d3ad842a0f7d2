import type { KeyObject } from 'node:crypto';
import { createHash } from 'node:crypto';
import type { KeyProtector } from '../../app/installation-secrets.js';

/** The installation's checkpoint-signing key (Ed25519). */
export interface AuditSigningKey {
  keyId: string;
  /** keyFingerprintOf(publicKey): what auditors are given to trust the key. */
  fingerprint: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** True when this start made the key: no key was stored, so no journal can have been signed before. */
  created: boolean;
}

/**
 * Where the journal gets its signing key, and verification its trusted public keys. The app uses
 * FileAuditKeyStore (file-audit-key-store.ts), whose private key file is sealed by the OS key store.
 */
export interface AuditKeyStore {
  signingKey(): Promise<AuditSigningKey>;
  /** Every public key whose checkpoints verification should accept (current and retired), by key id. */
  publicKeys(): Promise<ReadonlyMap<string, KeyObject>>;
  /** Seals the journal's head record (journal-head.ts) with the same OS key store that seals the private key. */
  readonly protector: KeyProtector;
}

/** A short, stable name for a public key: the first 16 bytes of its fingerprint, hex. */
export function keyIdOf(publicKey: KeyObject): string {
  return keyFingerprintOf(publicKey).slice(0, 32);
}

/** The key's SHA-256 fingerprint: SHA-256 of its SPKI DER, 64 hex digits (what IT records and auditors compare). */
export function keyFingerprintOf(publicKey: KeyObject): string {
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return createHash('sha256').update(der).digest('hex');
}

/**
 * A fingerprint as people write it down (upper or lower case, with or without colons, an optional `SHA256:`
 * prefix), as 64 lower-case hex digits; undefined when it is not one.
 */
export function normalizeFingerprint(text: string): string | undefined {
  const hex = text
    .trim()
    .replace(/^sha-?256:/i, '')
    .replaceAll(':', '')
    .toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : undefined;
}
