import { z } from 'zod';
import { AUDIT_EVENT_TYPES } from '../audit-event.js';
import type { AuditEvent } from '../audit-event.js';
import type { CheckpointRecord } from './journal-record.js';

/** An AuditEvent as read back from disk (a file is a boundary: nothing is trusted by its type alone). */
export const auditEventSchema = z
  .object({
    type: z.enum(AUDIT_EVENT_TYPES),
    at: z.iso.datetime({ offset: true }),
    workstation: z.string().min(1),
    actor: z
      .object({
        userId: z.string().optional(),
        displayName: z.string().optional(),
        badgeHash: z.string().optional(),
        roles: z.array(z.string()).optional(),
      })
      .strict()
      .optional(),
    outcome: z.enum(['success', 'failure']),
    reason: z.string().optional(),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .strict() satisfies z.ZodType<AuditEvent>;

export const storedEventSchema = z
  .object({
    kind: z.literal('event'),
    seq: z.number().int().positive(),
    id: z.string().min(1),
    prev: z.string().regex(/^[0-9a-f]{64}$/),
    event: auditEventSchema,
  })
  .strict();

export const storedCheckpointSchema = z
  .object({
    kind: z.literal('checkpoint'),
    seq: z.number().int().positive(),
    id: z.string().min(1),
    prev: z.string().regex(/^[0-9a-f]{64}$/),
    checkpoint: z
      .object({
        at: z.string(),
        keyId: z.string(),
        fingerprint: z.string().optional(),
        workstation: z.string().optional(),
        sig: z.string(),
      })
      .strict(),
  })
  .strict() satisfies z.ZodType<CheckpointRecord>;
