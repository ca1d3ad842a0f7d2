import { z } from 'zod';
import { revocationPublicKeySchema } from '../revocation/revocation-list-policy.js';

/**
 * What a demo workstation needs to know of the hospital's side (identity provider, EHR, privacy mailbox, review
 * source), as plain data: a workstation process can join services another process runs (`--hospital FILE`,
 * docs/harness.md#several-workstations), as every workstation of a ward shares one identity provider and one EHR.
 */
export const hospitalDescriptionSchema = z.strictObject({
  /** The demo CA every HTTPS service here is issued by. */
  caPem: z.string().includes('BEGIN CERTIFICATE'),
  idp: z.strictObject({
    clientId: z.string().min(1),
    authority: z.url(),
    knownAuthorities: z.array(z.string().min(1)),
    protocolMode: z.enum(['AAD', 'OIDC']),
    consentForOfflineAccess: z.boolean(),
  }),
  ehrOrigin: z.url(),
  mailbox: z.strictObject({ host: z.literal('127.0.0.1'), port: z.number().int().min(1).max(65535) }),
  reviewSourceUrl: z.url(),
  /** The hospital's revocation list publisher (tools/revocation-server): identity.revocationList. */
  revocationList: z.strictObject({
    url: z.url(),
    /** The pinned public key (a JWK), as the policy carries it. */
    publicJwk: revocationPublicKeySchema,
    /** The CA of its certificate, when it is not caPem's (a publisher shared from elsewhere). */
    caPem: z.string().includes('BEGIN CERTIFICATE').optional(),
    /** Its admin API's Bearer token, for the demo controls' Revoke and Restore (the file is its owner's only). */
    adminToken: z.string().min(1),
  }),
});
export type HospitalDescription = z.infer<typeof hospitalDescriptionSchema>;
