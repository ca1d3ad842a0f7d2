import type { AuditEvent } from '../../main/audit/audit-event.js';

/** Break-glass events in the shape their producer writes them (main/audit/break-glass-details.ts). */
export interface EpisodeSpec {
  grantId: string;
  userId?: string;
  displayName?: string;
  workstation?: string;
  patient?: string;
  startedAt?: string;
  durationMin?: number;
  reasonText?: string;
}

const clinician = (userId: string, displayName: string) => ({
  userId,
  displayName,
  roles: ['nurse', 'clinical'],
});

export function breakGlassStart(spec: EpisodeSpec): AuditEvent {
  const at = spec.startedAt ?? '2026-12-06T01:00:00.000Z';
  const durationMin = spec.durationMin ?? 60;
  return {
    type: 'breakglass.start',
    at,
    workstation: spec.workstation ?? 'COW-3F-12',
    actor: clinician(spec.userId ?? 'u-nurse-ana', spec.displayName ?? 'Ana Lopez, RN'),
    outcome: 'success',
    reason: 'emergency-care',
    details: {
      grantId: spec.grantId,
      ehr: 'http://127.0.0.1:4100',
      scope: spec.patient === undefined ? 'all-restricted' : 'patient',
      ...(spec.patient === undefined ? {} : { patient: spec.patient }),
      reasonCode: 'emergency-care',
      reasonText: spec.reasonText ?? 'Collapsed in the ED, no history available',
      attested: true,
      stepUp: 'pin',
      durationMin,
      expiresAt: new Date(Date.parse(at) + durationMin * 60_000).toISOString(),
      episodesIn30Days: 1,
    },
  };
}

export function breakGlassStop(spec: EpisodeSpec, endedAt: string, endedBy = 'end-now'): AuditEvent {
  return {
    type: 'breakglass.stop',
    at: endedAt,
    workstation: spec.workstation ?? 'COW-3F-12',
    actor: clinician(spec.userId ?? 'u-nurse-ana', spec.displayName ?? 'Ana Lopez, RN'),
    outcome: 'success',
    details: {
      grantId: spec.grantId,
      ehr: 'http://127.0.0.1:4100',
      scope: spec.patient === undefined ? 'all-restricted' : 'patient',
      ...(spec.patient === undefined ? {} : { patient: spec.patient }),
      endedBy,
      startedAt: spec.startedAt ?? '2026-12-06T01:00:00.000Z',
      endedAt,
    },
  };
}
