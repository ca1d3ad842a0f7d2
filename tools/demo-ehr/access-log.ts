import { z } from 'zod';
import type { Clock } from '../../common/clock.js';
import type { Random } from '../../common/random.js';

/**
 * Every chart open the EHR answered (opened or refused), kept as FHIR R4 AuditEvents so a privacy officer's review
 * reads them with an ordinary FHIR search (docs/break-glass-api.md#access-log).
 */

export interface ChartOpen {
  user: { sub: string; name: string };
  /** "Patient/<id>" */
  patient: string;
  /** What was read: the HTML chart or a FHIR resource ("Patient/p-1001", "MedicationRequest?patient=..."). */
  what: string;
  opened: boolean;
  /** The break-glass grant that opened it, if one did. */
  grantId?: string;
  /** The just-in-time grant that opened it, if one did (docs/access-grants-api.md). */
  jitGrantId?: string;
}

interface Entry extends ChartOpen {
  id: string;
  recorded: Date;
}

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';

/** One `date` search value: an optional FHIR prefix then a date or an instant. */
export const dateParam = z
  .string()
  .regex(
    /^(eq|ne|ge|gt|le|lt)?(\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)$/,
    'date must be [ge|gt|le|lt|eq]YYYY-MM-DD or an instant with a time zone, e.g. ge2026-12-05T08:00:00Z',
  );

export const auditSearchSchema = z.strictObject({
  patient: z
    .array(z.string().regex(/^(Patient\/)?[A-Za-z0-9\-.]{1,64}$/, 'patient must be Patient/<id> or <id>'))
    .optional(),
  agent: z.array(z.string().min(1)).optional(),
  date: z.array(dateParam).optional(),
  outcome: z.array(z.enum(['0', '4'])).optional(),
  policy: z.array(z.string().min(1)).optional(),
});
export type AuditSearch = z.infer<typeof auditSearchSchema>;

function dayRange(value: string): [number, number] {
  const start = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  return [start, value.length === 10 ? start + 86_400_000 : start + 1];
}

export function matchesDate(recordedMs: number, param: string): boolean {
  const [, prefix = 'eq', value = ''] = /^(eq|ne|ge|gt|le|lt)?(.*)$/.exec(param) ?? [];
  const [start, end] = dayRange(value);
  switch (prefix) {
    case 'ge':
      return recordedMs >= start;
    case 'gt':
      return recordedMs >= end;
    case 'le':
      return recordedMs < end;
    case 'lt':
      return recordedMs < start;
    case 'ne':
      return recordedMs < start || recordedMs >= end;
    default:
      return recordedMs >= start && recordedMs < end;
  }
}

export class AccessLog {
  private readonly entries: Entry[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    /** The EHR's origin, to name the grant (as a policy URI) and the observer. */
    private readonly origin: string,
  ) {}

  record(open: ChartOpen): void {
    this.entries.push({ ...open, id: this.random.uuid(), recorded: this.clock.wallTime() });
  }

  /** The log as AuditEvents matching the search: AND across parameters, OR within one parameter's values. */
  search(query: AuditSearch): object[] {
    const patients = query.patient?.map((p) => (p.startsWith('Patient/') ? p : `Patient/${p}`));
    const agents = query.agent?.map((a) => a.replace(/^Practitioner\//, ''));
    const policies = query.policy;
    return this.entries
      .filter(
        (e) =>
          (!patients || patients.includes(e.patient)) &&
          (!agents || agents.includes(e.user.sub)) &&
          (!query.outcome || query.outcome.includes(e.opened ? '0' : '4')) &&
          (!policies || policies.includes(this.policyOf(e) ?? '')) &&
          (query.date ?? []).every((d) => matchesDate(e.recorded.getTime(), d)),
      )
      .map((e) => this.toAuditEvent(e));
  }

  grantUri(grantId: string): string {
    return `${this.origin}/break-glass/grants/${grantId}`;
  }

  jitGrantUri(grantId: string): string {
    return `${this.origin}/access/grants/${grantId}`;
  }

  /** The grant an open was made under, as a policy URI. */
  private policyOf(e: Entry): string | undefined {
    if (e.grantId) return this.grantUri(e.grantId);
    return e.jitGrantId ? this.jitGrantUri(e.jitGrantId) : undefined;
  }

  private toAuditEvent(e: Entry): object {
    return {
      resourceType: 'AuditEvent',
      id: e.id,
      type: { system: DCM, code: '110110', display: 'Patient Record' },
      subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: 'read', display: 'read' }],
      action: 'R',
      recorded: e.recorded.toISOString(),
      outcome: e.opened ? '0' : '4',
      ...(e.opened ? {} : { outcomeDesc: 'Restricted chart: refused without an active break-glass grant' }),
      agent: [
        {
          type: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
                code: 'IRCP',
                display: 'information recipient',
              },
            ],
          },
          who: { reference: `Practitioner/${e.user.sub}`, display: e.user.name },
          requestor: true,
          ...(this.policyOf(e) ? { policy: [this.policyOf(e)] } : {}),
          purposeOfUse: [
            e.grantId
              ? { coding: [{ system: ACT_REASON, code: 'BTG', display: 'break the glass' }] }
              : { coding: [{ system: ACT_REASON, code: 'TREAT', display: 'treatment' }] },
          ],
        },
      ],
      source: {
        site: this.origin,
        observer: { display: 'CareShell demo EHR' },
        type: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/security-source-type',
            code: '4',
            display: 'Application Server',
          },
        ],
      },
      entity: [
        {
          what: { reference: e.patient },
          type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
          role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
          description: e.what,
        },
      ],
    };
  }
}
