import { z } from 'zod';

/**
 * The signed revocation list (docs/temporary-access.md#revocation-list): a JWS compact serialization (RFC 7515)
 * whose protected header names the signing key (`kid`, one of identity.revocationList.publicKeys), its `alg`
 * (EdDSA or ES256 only) and `typ`, and whose payload is this JSON.
 */
export const REVOCATION_LIST_TYP = 'careshell-revocations+jwt';
/** What a workstation accepts: never `none`, never a shared-secret HS*, never RSA. */
export const REVOCATION_LIST_ALGORITHMS = ['EdDSA', 'ES256'] as const;
/** The media type the server answers with (RFC 7515 §9.2.1). */
export const REVOCATION_LIST_MEDIA_TYPE = 'application/jose';
/** A larger body is refused unread: the list of a large hospital is far below this. */
export const REVOCATION_LIST_MAX_BYTES = 1_048_576;
/** How far ahead of this workstation's clock a list's issuedAt may be (clocks drift). */
export const REVOCATION_LIST_CLOCK_SKEW_MS = 5 * 60_000;

const isoTime = z.iso.datetime({ offset: true });

export const revokedEntrySchema = z.strictObject({
  userId: z.string().min(1).max(200),
  reason: z.string().min(1).max(500),
  revokedAt: isoTime,
});
export type RevokedEntry = z.infer<typeof revokedEntrySchema>;

export const revocationListPayloadSchema = z
  .strictObject({
    iss: z.string().min(1).max(200),
    /** Raised by one (at least) with each list published: a workstation never goes back to a lower one. */
    sequence: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    issuedAt: isoTime,
    /** After this the list is stale even if younger than maxAgeMinutes. */
    expiresAt: isoTime,
    revoked: z.array(revokedEntrySchema).max(100_000),
  })
  .refine((list) => Date.parse(list.expiresAt) > Date.parse(list.issuedAt), {
    message: 'expiresAt must be after issuedAt',
    path: ['expiresAt'],
  })
  .refine((list) => new Set(list.revoked.map((r) => r.userId)).size === list.revoked.length, {
    message: 'each userId may be listed once',
    path: ['revoked'],
  });
export type RevocationListPayload = z.infer<typeof revocationListPayloadSchema>;
