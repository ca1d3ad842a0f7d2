import { z } from 'zod';
import { AUDIT_EVENT_TYPES, type AuditEvent } from '../audit/audit-event.js';
import { CARESHELL_EVENT_SYSTEM } from '../audit/catalogue/event-catalogue.js';

/** One break-glass audit event as the review reads it: from the review source (FHIR) or from a journal. */
export interface ReviewRecord {
  /** The stable event id: at-least-once delivery may bring the same record twice. */
  id: string;
  event: AuditEvent;
}

/** The parts of CareShell's own FHIR AuditEvent (main/audit/catalogue/fhir-audit-event.ts) the review reads back. */
const sourceAuditEventSchema = z.object({
  resourceType: z.literal('AuditEvent'),
  id: z.string().min(1),
  subtype: z.array(z.object({ system: z.string().optional(), code: z.string().optional() })).default([]),
  recorded: z.string(),
  outcome: z.enum(['0', '4']).optional(),
  outcomeDesc: z.string().optional(),
  agent: z
    .array(
      z.object({
        requestor: z.boolean(),
        who: z.object({ identifier: z.object({ value: z.string() }).optional(), display: z.string().optional() }),
        role: z.array(z.object({ text: z.string().optional() })).optional(),
      }),
    )
    .default([]),
  source: z.object({ observer: z.object({ display: z.string().optional() }) }),
  entity: z
    .array(z.object({ detail: z.array(z.object({ type: z.string(), valueString: z.string() })).optional() }))
    .default([]),
});

// FHIR carries every detail as a string; these are read back as what their producer wrote.
const BOOLEAN_DETAILS = new Set(['attested']);
const NUMBER_DETAILS = new Set(['durationMin', 'episodesIn30Days', 'seq']);

function revive(key: string, value: string): string | number | boolean {
  if (BOOLEAN_DETAILS.has(key) && (value === 'true' || value === 'false')) return value === 'true';
  if (NUMBER_DETAILS.has(key) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return value;
}

const TYPES = new Set<string>(AUDIT_EVENT_TYPES);

/**
 * Reads back a FHIR AuditEvent that CareShell wrote, or says why it cannot (not one of CareShell's, or
 * malformed): the review source is another system and is trusted with nothing.
 */
export function recordFromFhir(resource: unknown): { ok: true; record: ReviewRecord } | { ok: false; problem: string } {
  const parsed = sourceAuditEventSchema.safeParse(resource);
  if (!parsed.success)
    return { ok: false, problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  const r = parsed.data;
  const type = r.subtype.find((s) => s.system === CARESHELL_EVENT_SYSTEM)?.code;
  if (!type || !TYPES.has(type)) return { ok: false, problem: `AuditEvent/${r.id} has no CareShell event type` };
  const agent = r.agent.find((a) => a.requestor && a.who.identifier);
  const details: Record<string, string | number | boolean> = {};
  for (const detail of r.entity[0]?.detail ?? []) {
    if (detail.type !== 'seq') details[detail.type] = revive(detail.type, detail.valueString);
  }
  const roles = agent?.role?.flatMap((role) => (role.text ? [role.text] : []));
  const event: AuditEvent = {
    type: type as AuditEvent['type'],
    at: r.recorded,
    workstation: r.source.observer.display ?? 'unknown workstation',
    outcome: r.outcome === '4' ? 'failure' : 'success',
    ...(r.outcomeDesc ? { reason: r.outcomeDesc } : {}),
    ...(agent?.who.identifier
      ? {
          actor: {
            userId: agent.who.identifier.value,
            ...(agent.who.display ? { displayName: agent.who.display } : {}),
            ...(roles?.length ? { roles } : {}),
          },
        }
      : {}),
    details,
  };
  return { ok: true, record: { id: r.id, event } };
}
