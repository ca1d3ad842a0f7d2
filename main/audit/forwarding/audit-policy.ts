import { z } from 'zod';
import { reviewPolicySchema } from '../../review/review-policy.js';

/** Each key is documented in docs/audit.md ("Policy"). */

const PEN_HINT =
  'https://www.iana.org/assignments/enterprise-numbers; it names the structured data "careshell@<number>" in every syslog message';
const retrySchema = z
  .object({
    initialMs: z.number().int().min(100).max(60_000).default(1_000),
    maxMs: z.number().int().min(1_000).max(3_600_000).default(300_000),
  })
  .strict();

const tlsSchema = z
  .object({
    caFile: z.string().min(1).optional(),
    certFile: z.string().min(1).optional(),
    keyFile: z.string().min(1).optional(),
  })
  .strict()
  .refine((tls) => (tls.certFile === undefined) === (tls.keyFile === undefined), {
    message: 'certFile and keyFile go together: give both for mutual TLS, or neither',
  });

const destinationId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/,
    'use 1-63 lower-case letters, digits, "-" or "_" (it names the delivery cursor file)',
  );

/** What an ATNA message over syslog or RELP carries: the same RFC 5424 message either way. */
const atnaMessageFields = {
  id: destinationId,
  host: z.string().min(1),
  tls: tlsSchema.prefault({}),
  appName: z.string().min(1).max(48).default('careshell'),
  // RFC 5424 §7.2.2: an SD-ID with "@" must carry a registered Private Enterprise Number. CareShell has none
  // of its own to default to (32473 is IANA's documentation number, RFC 5612), so IT sets the hospital's.
  enterpriseNumber: z
    .number({
      error: (issue) =>
        issue.input === undefined
          ? `set it to your organisation's IANA Private Enterprise Number (${PEN_HINT})`
          : undefined,
    })
    .int()
    .positive()
    .refine(
      (n) => n !== 32473,
      `32473 is IANA's example number, reserved for documentation (RFC 5612); use your organisation's own (${PEN_HINT})`,
    ),
  enterpriseSiteId: z.string().min(1).optional(),
  connectTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  batchSize: z.number().int().min(1).max(10_000).default(200),
  retry: retrySchema.prefault({}),
};

const atnaSyslogSchema = z
  .object({
    kind: z.literal('atna-syslog'),
    ...atnaMessageFields,
    port: z.number().int().min(1).max(65_535).default(6514),
    settleMs: z.number().int().min(0).max(60_000).default(1_000),
    // Covers the send buffer of a workstation and the receive buffer of a collector at Linux's default
    // autotuning limits (4 MiB and 6 MiB) with room to spare; docs/audit.md#transports.
    resendWindowBytes: z
      .number()
      .int()
      .min(0)
      .max(256 * 1024 * 1024)
      .default(16 * 1024 * 1024),
  })
  .strict();

const atnaRelpSchema = z
  .object({
    kind: z.literal('atna-relp'),
    ...atnaMessageFields,
    // librelp's default port; rsyslog's imrelp has none, so the collector's config names it.
    port: z.number().int().min(1).max(65_535).default(20514),
    window: z.number().int().min(1).max(1_024).default(128),
    // Every message is acknowledged, so a large batch costs no duplicates; it saves cursor writes (bench:audit).
    batchSize: z.number().int().min(1).max(10_000).default(1_000),
    ackTimeoutMs: z.number().int().min(100).max(600_000).default(30_000),
  })
  .strict();

const fhirSchema = z
  .object({
    kind: z.literal('fhir'),
    id: destinationId,
    baseUrl: z.url().refine((url) => url.startsWith('https://'), 'the FHIR base URL must be https://'),
    tls: tlsSchema.prefault({}),
    site: z.string().min(1).optional(),
    timeoutMs: z.number().int().min(100).max(120_000).default(15_000),
    batchSize: z.number().int().min(1).max(1_000).default(50),
    retry: retrySchema.prefault({}),
  })
  .strict();

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/** A privacy officer's alert mail per break-glass start (docs/break-glass-review.md#alert-mail). */
const emailSchema = z
  .object({
    kind: z.literal('email'),
    id: destinationId,
    smtp: z
      .object({
        host: z.string().min(1),
        port: z.number().int().min(1).max(65_535).default(587),
        // starttls: upgrade a plain connection (port 587) and refuse a server that cannot; tls: TLS from the
        // first byte (port 465); plain: no encryption, only to a relay on this machine.
        security: z.enum(['starttls', 'tls', 'plain']).default('starttls'),
        auth: z
          .object({ user: z.string().min(1), passwordFile: z.string().min(1) })
          .strict()
          .optional(),
      })
      .strict()
      .refine((smtp) => smtp.security !== 'plain' || LOOPBACK_HOSTS.has(smtp.host), {
        message: 'security "plain" sends alert mail unencrypted: it is allowed only to a relay on 127.0.0.1 or ::1',
        path: ['security'],
      }),
    tls: tlsSchema.prefault({}),
    from: z.email(),
    to: z.array(z.email()).min(1, 'name at least one recipient (the privacy office)'),
    /** Where a privacy officer reviews the episode; said in every mail. */
    reviewInstructions: z
      .string()
      .min(1)
      .max(500)
      .default(
        'Review it in CareShell: sign in at any workstation as a privacy officer and open "Break-glass review".',
      ),
    timeoutMs: z.number().int().min(100).max(120_000).default(15_000),
    batchSize: z.number().int().min(1).max(1_000).default(50),
    retry: retrySchema.prefault({}),
  })
  .strict();

export const auditForwarderSchema = z.discriminatedUnion('kind', [
  atnaRelpSchema,
  atnaSyslogSchema,
  fhirSchema,
  emailSchema,
]);

/** The `audit` section of the machine policy: journal settings and where events are forwarded. */
export const auditPolicySchema = z
  .object({
    journal: z
      .object({
        maxSegmentBytes: z
          .number()
          .int()
          .min(64 * 1024)
          .max(1024 * 1024 * 1024)
          .default(16 * 1024 * 1024),
        checkpointEvery: z.number().int().min(1).max(100_000).default(1_000),
        checkpointIntervalMs: z.number().int().min(1_000).max(3_600_000).default(60_000),
      })
      .strict()
      .prefault({}),
    forwarders: z
      .array(auditForwarderSchema)
      .default([])
      .refine((list) => new Set(list.map((f) => f.id)).size === list.length, 'each forwarder needs its own id'),
    /** The privacy officers' break-glass review (docs/break-glass-review.md); without it the queue is not offered. */
    review: reviewPolicySchema.optional(),
  })
  .strict();

export type AuditPolicy = z.infer<typeof auditPolicySchema>;
export type AuditForwarderPolicy = z.infer<typeof auditForwarderSchema>;
