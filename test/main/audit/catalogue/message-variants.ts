import type { AuditEvent } from '../../../../main/audit/audit-event.js';
import { AUDIT_EVENT_TYPES } from '../../../../main/audit/audit-event.js';
import { sampleEvent } from '../support/journal-fixture.js';

export interface AuditRecordSample {
  name: string;
  record: { id: string; seq: number; event: AuditEvent };
}

/**
 * Every event type in every shape a message can take: success and failure, a signed-in user, a badge nobody
 * knows (no user id), no person at all (the workstation acts), and hostile text (markup, control characters,
 * empty values) in the reason and the details.
 */
export function everyMessageShape(): AuditRecordSample[] {
  const shapes: [string, Partial<AuditEvent>][] = [
    ['user', {}],
    ['failure', { outcome: 'failure', reason: 'wrong PIN' }],
    ['badge only', { actor: { badgeHash: 'cd'.repeat(32) }, reason: undefined, details: undefined }],
    ['no actor', { actor: undefined, reason: undefined, details: {} }],
    [
      'hostile text',
      {
        actor: { userId: ' a  b ', displayName: '<x>&"\'', roles: ['', 'nurse  charge'] },
        reason: ']]><AuditMessage/> \u0001\u0000 \ud800',
        details: { '': '', 'a b': '<ParticipantObjectName/>', flag: true, count: 0 },
      },
    ],
  ];
  return AUDIT_EVENT_TYPES.flatMap((type, t) =>
    shapes.map(([shape, overrides], s) => ({
      name: `${type} (${shape})`,
      record: { id: `e-${t}-${s}`, seq: t * shapes.length + s + 1, event: sampleEvent(type, t, overrides) },
    })),
  );
}
