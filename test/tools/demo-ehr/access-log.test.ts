import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../../common/manual-clock.js';
import { systemRandom } from '../../../common/random.js';
import { AccessLog, auditSearchSchema } from '../../../tools/demo-ehr/access-log.js';
import { coding, codeableConcept, reference } from '../../../tools/demo-ehr/fhir-resources.js';

// FHIR R4 AuditEvent: type, recorded, agent (with requestor) and source (with observer) are required.
const auditEventSchema = z.strictObject({
  resourceType: z.literal('AuditEvent'),
  id: z.string(),
  type: coding,
  subtype: z.array(coding),
  action: z.enum(['C', 'R', 'U', 'D', 'E']),
  recorded: z.iso.datetime(),
  outcome: z.enum(['0', '4', '8', '12']),
  outcomeDesc: z.string().optional(),
  agent: z
    .array(
      z.strictObject({
        type: codeableConcept,
        who: reference,
        requestor: z.boolean(),
        policy: z.array(z.url()).optional(),
        purposeOfUse: z.array(codeableConcept),
      }),
    )
    .min(1),
  source: z.strictObject({ site: z.string(), observer: reference, type: z.array(coding) }),
  entity: z.array(z.strictObject({ what: reference, type: coding, role: coding, description: z.string() })),
});

function setUp() {
  const clock = new ManualClock(new Date('2026-12-05T10:00:00Z'));
  const log = new AccessLog(clock, systemRandom, 'http://127.0.0.1:9');
  const ana = { sub: 'u-nurse-ana', name: 'Ana' };
  const ben = { sub: 'u-er-ben', name: 'Ben' };
  log.record({ user: ana, patient: 'Patient/p-1001', what: 'chart', opened: true });
  clock.advance(60 * 60_000);
  log.record({ user: ana, patient: 'Patient/p-1005', what: 'chart', opened: false });
  log.record({ user: ana, patient: 'Patient/p-1005', what: 'chart', opened: true, grantId: 'bg-7' });
  clock.advance(24 * 60 * 60_000);
  log.record({ user: ben, patient: 'Patient/p-1005', what: 'chart', opened: true });
  return { log };
}

const search = (log: AccessLog, query: Record<string, string[]>) =>
  log.search(auditSearchSchema.parse(query)) as { recorded: string; agent: { who: { reference: string } }[] }[];

describe('AccessLog', () => {
  it('keeps every open as a valid R4 AuditEvent, the break-glass ones with BTG and the grant as policy', () => {
    const { log } = setUp();
    const events = log.search({});
    expect(events).toHaveLength(4);
    for (const event of events) expect(auditEventSchema.safeParse(event).error?.issues ?? []).toEqual([]);
    expect(events[1]).toMatchObject({ outcome: '4', agent: [{ purposeOfUse: [{ coding: [{ code: 'TREAT' }] }] }] });
    expect(events[2]).toMatchObject({
      outcome: '0',
      agent: [
        { policy: ['http://127.0.0.1:9/break-glass/grants/bg-7'], purposeOfUse: [{ coding: [{ code: 'BTG' }] }] },
      ],
      entity: [{ what: { reference: 'Patient/p-1005' } }],
    });
  });

  it('searches by patient, agent, date, outcome and policy (AND across, OR within)', () => {
    const { log } = setUp();
    expect(search(log, { patient: ['p-1005'] })).toHaveLength(3);
    expect(search(log, { patient: ['Patient/p-1005'], agent: ['Practitioner/u-nurse-ana'] })).toHaveLength(2);
    expect(search(log, { agent: ['u-er-ben', 'u-nurse-ana'] })).toHaveLength(4);
    expect(search(log, { date: ['2026-12-05'] })).toHaveLength(3);
    expect(search(log, { date: ['ge2026-12-05T10:30:00Z', 'lt2026-12-06'] })).toHaveLength(2);
    expect(search(log, { date: ['gt2026-12-05'] })).toHaveLength(1);
    expect(search(log, { date: ['le2026-12-05T10:00:00Z'] })).toHaveLength(1);
    expect(search(log, { outcome: ['4'] })).toHaveLength(1);
    expect(search(log, { policy: ['http://127.0.0.1:9/break-glass/grants/bg-7'] })).toHaveLength(1);
  });

  it('refuses search parameters it does not support, saying what is wrong', () => {
    expect(auditSearchSchema.safeParse({ date: ['yesterday'] }).error?.issues[0]?.message).toMatch(/date must be/);
    expect(auditSearchSchema.safeParse({ subtype: ['read'] }).success).toBe(false);
  });
});
