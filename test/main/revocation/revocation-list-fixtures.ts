import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { CompactSign, exportJWK, type JWSHeaderParameters } from 'jose';
import type { RevocationListPayload } from '../../../main/revocation/revocation-list-format.js';
import {
  revocationPublicKeySchema,
  type RevocationPublicKey,
} from '../../../main/revocation/revocation-list-policy.js';

export const ISSUER = 'https://revocations.test';
export const T0 = Date.parse('2026-01-01T08:00:00Z');

export interface TestKey {
  privateKey: KeyObject;
  jwk: RevocationPublicKey;
  alg: 'EdDSA' | 'ES256';
}

export async function edKey(kid = 'ed-1'): Promise<TestKey> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, alg: 'EdDSA', jwk: revocationPublicKeySchema.parse({ ...(await exportJWK(publicKey)), kid }) };
}

export async function ecKey(kid = 'ec-1'): Promise<TestKey> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, alg: 'ES256', jwk: revocationPublicKeySchema.parse({ ...(await exportJWK(publicKey)), kid }) };
}

/** A list's payload at `issuedMs`, valid for a day, listing `userIds`. */
export function payload(sequence: number, userIds: string[], issuedMs = T0): RevocationListPayload {
  return {
    iss: ISSUER,
    sequence,
    issuedAt: new Date(issuedMs).toISOString(),
    expiresAt: new Date(issuedMs + 24 * 3_600_000).toISOString(),
    revoked: userIds.map((userId) => ({
      userId,
      reason: `left (${userId})`,
      revokedAt: new Date(issuedMs).toISOString(),
    })),
  };
}

/** Signs anything as the key would, with header fields overridable (tests craft refusals with them). */
export function sign(key: TestKey, body: unknown, header: Partial<JWSHeaderParameters> = {}): Promise<string> {
  return new CompactSign(new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body)))
    .setProtectedHeader({ alg: key.alg, kid: key.jwk.kid, typ: 'careshell-revocations+jwt', ...header })
    .sign(key.privateKey);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWS assembled by hand: for algorithms jose would not sign with here (none, forged headers). */
export function handmade(header: Record<string, unknown>, body: unknown, signature = 'c2lnbmF0dXJl'): string {
  return `${b64(header)}.${b64(body)}.${signature}`;
}
