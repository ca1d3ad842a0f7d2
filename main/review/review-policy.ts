import { z } from 'zod';
import { isAllowedFhirUrl } from './fhir-rest.js';

/** `audit.review` in the machine policy (docs/break-glass-review.md#review-source). */
export const reviewPolicySchema = z
  .object({
    /** FHIR R4 base of the review source: where every workstation's break-glass events are searched. */
    sourceUrl: z
      .string()
      .refine(isAllowedFhirUrl, 'the review source must be an https:// URL (http:// only to 127.0.0.1, for the demo)'),
    tls: z
      .object({ caFile: z.string().min(1).optional() })
      .strict()
      .prefault({}),
    /** AuditEvent.source.site of the decisions written to the source. */
    site: z.string().min(1).optional(),
    /**
     * EHR origins whose access log (docs/break-glass-api.md#access-log) may be read with the reviewer's token
     * for the charts an episode opened; an episode naming another origin shows its charts as unavailable.
     */
    ehrAccessLogOrigins: z
      .array(z.string().refine(isAllowedFhirUrl, 'each EHR origin must be https:// (http:// only to 127.0.0.1)'))
      .default([]),
    /** Days of episodes the queue lists. */
    windowDays: z.number().int().min(1).max(366).default(30),
    timeoutMs: z.number().int().min(100).max(120_000).default(15_000),
    /** The role whose holders may open the queue and decide. */
    reviewerRole: z.string().min(1).default('privacy-officer'),
  })
  .strict();

export type ReviewPolicy = z.infer<typeof reviewPolicySchema>;
