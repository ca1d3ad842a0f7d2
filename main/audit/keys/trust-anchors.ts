import type { KeyObject } from 'node:crypto';
import { keyFingerprintOf, keyIdOf, normalizeFingerprint } from './audit-key-store.js';
import { loadPublicKeyFile, loadPublicKeys } from './file-audit-key-store.js';

/** A public key verify trusts, and why: the file it was given as, or the fingerprint that picked it. */
export interface TrustedKey {
  key: KeyObject;
  fingerprint: string;
  source: string;
}

export interface TrustAnchorOptions {
  /** Public key files given explicitly: trusted as they are. */
  publicKeyFiles: readonly string[];
  /** A folder of `*.pub.pem` files: only its keys whose fingerprint is listed in `fingerprints` are trusted. */
  keysDirectory?: string;
  fingerprints: readonly string[];
}

/**
 * The keys a verification trusts, by key id. Trust comes from outside the folder being checked: a key file
 * the auditor was handed, or a key found in a folder whose SHA-256 fingerprint the auditor got from IT
 * records or from the collector's audit.checkpoint events. Any other key in the folder (a forger can drop
 * their own there) is not trusted. Throws with what to do when the options cannot give a trusted key.
 */
export async function loadTrustAnchors(options: TrustAnchorOptions): Promise<ReadonlyMap<string, TrustedKey>> {
  const { keysDirectory, publicKeyFiles } = options;
  const fingerprints = options.fingerprints.map((text) => {
    const normalized = normalizeFingerprint(text);
    if (!normalized)
      throw new Error(
        `--fingerprint "${text}" is not a SHA-256 fingerprint: give the 64 hex digits (colons allowed) IT recorded for the workstation's audit key.`,
      );
    return normalized;
  });
  if (keysDirectory !== undefined && fingerprints.length === 0)
    throw new Error(
      `--keys ${keysDirectory} trusts nothing on its own (anyone who can write there can add a key): add --fingerprint <sha256> ` +
        "for each key IT recorded or the collector's audit.checkpoint events name, or pass --public-key <file> instead.",
    );
  if (keysDirectory === undefined && fingerprints.length > 0)
    throw new Error('--fingerprint picks keys out of a key folder: add --keys <folder> holding the *.pub.pem files.');
  const trusted = new Map<string, TrustedKey>();
  for (const file of publicKeyFiles) {
    const key = await loadPublicKeyFile(file);
    trusted.set(keyIdOf(key), { key, fingerprint: keyFingerprintOf(key), source: file });
  }
  if (keysDirectory !== undefined) {
    const found = new Map(
      [...(await loadPublicKeys(keysDirectory)).values()].map((key) => [keyFingerprintOf(key), key]),
    );
    for (const fingerprint of fingerprints) {
      const key = found.get(fingerprint);
      if (!key)
        throw new Error(
          `no public key in ${keysDirectory} has fingerprint ${fingerprint}: get the *.pub.pem file with that fingerprint from IT, or check the fingerprint.`,
        );
      trusted.set(keyIdOf(key), { key, fingerprint, source: `fingerprint ${fingerprint}` });
    }
  }
  if (trusted.size === 0)
    throw new Error(
      'verify needs trusted keys from outside the journal: --public-key <file.pub.pem>, or --keys <folder> with --fingerprint <sha256>.',
    );
  return trusted;
}
