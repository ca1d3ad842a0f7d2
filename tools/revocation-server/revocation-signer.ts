import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CompactSign, calculateJwkThumbprint, exportJWK } from 'jose';
import {
  REVOCATION_LIST_TYP,
  revocationListPayloadSchema,
  type RevocationListPayload,
} from '../../main/revocation/revocation-list-format.js';
import { revocationPublicKeySchema, type RevocationPublicKey } from '../../main/revocation/revocation-list-policy.js';

/** The hospital's list-signing key: kept by the publisher, never on a workstation (only its public JWK is). */
export interface RevocationSigningKey {
  privateKey: KeyObject;
  /** What goes into identity.revocationList.publicKeys. */
  publicJwk: RevocationPublicKey;
}

const KEY_FILE = 'signing-key.pem';

/** An Ed25519 key whose kid is its RFC 7638 thumbprint, so two keys never share a kid. */
export async function signingKeyOf(privateKey: KeyObject): Promise<RevocationSigningKey> {
  const jwk = await exportJWK(createPublicKey(privateKey));
  const kid = await calculateJwkThumbprint(jwk);
  const publicJwk = revocationPublicKeySchema.parse({ ...jwk, kid, alg: 'EdDSA', use: 'sig' });
  return { privateKey, publicJwk };
}

export function generateSigningKey(): Promise<RevocationSigningKey> {
  return signingKeyOf(generateKeyPairSync('ed25519').privateKey);
}

/**
 * The key in `dir` (signing-key.pem, PKCS#8, readable by its owner only), made at the first start. `created`
 * tells the caller to print the public JWK for the machine policy.
 */
export async function loadOrCreateSigningKey(dir: string): Promise<RevocationSigningKey & { created: boolean }> {
  const file = path.join(dir, KEY_FILE);
  try {
    return { ...(await signingKeyOf(createPrivateKey(await readFile(file, 'utf8')))), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  await writeFile(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  return { ...(await signingKeyOf(privateKey)), created: true };
}

/** Signs a list as workstations expect it (docs/temporary-access.md#revocation-list): JWS compact, EdDSA. */
export async function signRevocationList(payload: RevocationListPayload, key: RevocationSigningKey): Promise<string> {
  const checked = revocationListPayloadSchema.parse(payload);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(checked)))
    .setProtectedHeader({ alg: 'EdDSA', kid: key.publicJwk.kid, typ: REVOCATION_LIST_TYP })
    .sign(key.privateKey);
}
