import type { StoredAuditEvent } from '../journal/journal-reader.js';
import { readBreakGlassStart } from '../break-glass-details.js';

export interface AlertMail {
  /** Stable per audit event, so a mail resent after a crash is recognisably the same one. */
  messageId: string;
  subject: string;
  text: string;
}

/** The Message-ID of the alert for one journal record: the record's own id, which never changes. */
export function alertMessageId(eventId: string): string {
  return `<breakglass-${eventId}@careshell.alert>`;
}

/**
 * The privacy officer's alert for one break-glass start: who, where, which patient, why, the time box and how
 * to review it (docs/break-glass-review.md#alert-mail). A start whose details cannot be read still gives a
 * mail, saying so, so that no episode goes unannounced.
 */
export function breakGlassAlertMail(record: StoredAuditEvent, reviewInstructions: string): AlertMail {
  const { event } = record;
  const actor = event.actor;
  const who = actor?.displayName ?? actor?.userId ?? 'an unidentified user';
  const read = readBreakGlassStart(event);
  const lines = ['Break-glass emergency access was started.', ''];
  const row = (label: string, value: string) => lines.push(`${`${label}:`.padEnd(14)}${value}`);
  row(
    'Who',
    `${who}${actor?.userId ? ` (${actor.userId}${actor.roles?.length ? `; ${actor.roles.join(', ')}` : ''})` : ''}`,
  );
  row('Where', `workstation ${event.workstation}`);
  row('When', event.at);
  let target = 'a restricted chart';
  if (read.ok) {
    const { start } = read;
    target = start.scope === 'patient' && start.patient ? start.patient : 'all restricted charts';
    row('Patient', target);
    row('Reason', `${start.reasonCode}: ${start.reasonText}`);
    row('Attested', start.attested ? 'yes' : 'NO');
    if (start.stepUp) row('Step-up', start.stepUp);
    row('Time box', `${start.durationMin} min, until ${start.expiresAt} (the EHR's expiry)`);
    if (start.episodesIn30Days !== undefined)
      row('Frequency', `${start.episodesIn30Days} episode(s) in the last 30 days`);
    if (start.cosignedBy) row('Co-signed by', start.cosignedBy);
    row('EHR', start.ehr);
    row('Grant', start.grantId);
  } else {
    row('Details', `could not be read (${read.problem}); see the audit record below`);
  }
  row('Audit record', `${record.id} (seq ${record.seq})`);
  lines.push('', `How to review: ${reviewInstructions}`);
  lines.push('IT can list and decide episodes with "careshell-audit review" (docs/break-glass-review.md).');
  return {
    messageId: alertMessageId(record.id),
    subject: `Break-glass: ${who} opened ${target} at ${event.workstation}`,
    text: `${lines.join('\n')}\n`,
  };
}
