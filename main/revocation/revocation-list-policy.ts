import { z } from 'zod';

/** base64url without padding, as JWKs carry key material (RFC 7517). */
const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url (no padding)');
const kid = z.string().min(1).max(200);

/** An Ed25519 public key (RFC 8037): what `tools/revocation-server` prints at its first start. */
const ed25519Jwk = z.strictObject({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: base64url.length(43, 'an Ed25519 public key "x" is 43 base64url characters'),
  kid,
  alg: z.literal('EdDSA').optional(),
  use: z.literal('sig').optional(),
});

/** A P-256 public key for ES256 (RFC 7518 §6.2). A private key ("d") is refused by the strict object. */
const p256Jwk = z.strictObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: base64url.length(43, 'a P-256 "x" is 43 base64url characters'),
  y: base64url.length(43, 'a P-256 "y" is 43 base64url characters'),
  kid,
  alg: z.literal('ES256').optional(),
  use: z.literal('sig').optional(),
});

export const revocationPublicKeySchema = z.discriminatedUnion('kty', [ed25519Jwk, p256Jwk]);
export type RevocationPublicKey = z.infer<typeof revocationPublicKeySchema>;

/**
 * `identity.revocationList` (docs/temporary-access.md#revocation-list): a list of revoked accounts the hospital
 * signs and serves over HTTPS; every workstation fetches it every `pollSeconds` and ends the listed accounts'
 * sessions and enrollments. Only lists signed by one of `publicKeys` are applied.
 */
export const revocationListPolicySchema = z
  .strictObject({
    url: z
      .url({ error: 'must be a URL' })
      .refine((url) => url.startsWith('https://'), 'the revocation list URL must be https://'),
    /** Public JWKs whose private keys may sign the list; two during a key rotation. */
    publicKeys: z
      .array(revocationPublicKeySchema)
      .min(1)
      .max(4)
      .refine((keys) => new Set(keys.map((k) => k.kid)).size === keys.length, 'each public key needs its own "kid"'),
    /** The list's `iss` must be this when set. */
    issuer: z.string().min(1).max(200).optional(),
    pollSeconds: z.number().int().min(5).max(300).default(30),
    /** A list issued longer ago than this (or past its expiresAt) is stale: a new one is refused, a kept one reported. */
    maxAgeMinutes: z.number().int().min(1).max(10_080).default(60),
    /** PEM files of extra CAs trusted for the list's server, besides identity.extraCaFiles. */
    extraCaFiles: z.array(z.string().min(1)).default([]),
  })
  .refine((list) => list.maxAgeMinutes * 60 >= list.pollSeconds * 2, {
    message: 'maxAgeMinutes must cover at least two polls (pollSeconds)',
    path: ['maxAgeMinutes'],
  });
export type RevocationListPolicy = z.infer<typeof revocationListPolicySchema>;
