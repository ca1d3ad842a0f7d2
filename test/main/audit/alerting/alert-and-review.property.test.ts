import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../../main/audit/audit-event.js';
import { alertMessageId } from '../../../../main/audit/alerting/break-glass-alert-mail.js';
import { SmtpAlertTransport, type AlertMailer } from '../../../../main/audit/alerting/smtp-alert-transport.js';
import { toFhirAuditEvent } from '../../../../main/audit/catalogue/fhir-audit-event.js';
import { DeliveryError } from '../../../../main/audit/forwarding/audit-transport.js';
import type { StoredAuditEvent } from '../../../../main/audit/journal/journal-reader.js';
import { queueEpisodes } from '../../../../main/review/review-queue.js';
import { recordFromFhir } from '../../../../main/review/review-record.js';
import { breakGlassStart, breakGlassStop } from '../../../support/break-glass-events.js';

/** One step of a journal: a break-glass start (granted or refused), its stop, a review, or anything else. */
const stepArb = fc.oneof(
  fc.record({
    kind: fc.constant('start' as const),
    granted: fc.boolean(),
    user: fc.integer({ min: 0, max: 2 }),
    patient: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('stop' as const), of: fc.nat() }),
  fc.record({ kind: fc.constant('review' as const), of: fc.nat() }),
  fc.record({ kind: fc.constant('other' as const) }),
);

type Step =
  | { kind: 'start'; granted: boolean; user: number; patient: boolean }
  | { kind: 'stop' | 'review'; of: number }
  | { kind: 'other' };

function journalOf(steps: readonly Step[]): StoredAuditEvent[] {
  const grants: string[] = [];
  const events: AuditEvent[] = [];
  steps.forEach((step, n) => {
    const at = new Date(Date.UTC(2026, 11, 1) + n * 60_000).toISOString();
    const s = step;
    if (s.kind === 'start') {
      const grantId = `bg-${n}`;
      const event = breakGlassStart({
        grantId,
        startedAt: at,
        userId: `u-${s.user}`,
        ...(s.patient ? { patient: `Patient/p-${n}` } : {}),
      });
      if (s.granted) grants.push(grantId);
      events.push(s.granted ? event : { ...event, outcome: 'failure' });
    } else if ((s.kind === 'stop' || s.kind === 'review') && grants.length > 0) {
      const grantId = grants[s.of % grants.length]!;
      if (s.kind === 'stop') events.push(breakGlassStop({ grantId }, at));
      else
        events.push({
          type: 'breakglass.review',
          at,
          workstation: 'PO-1',
          actor: { userId: 'u-po', displayName: 'Dan Weber' },
          outcome: 'success',
          details: { grantId, decision: 'justified', note: 'ok', subjectUserId: 'u-0' },
        });
    } else {
      events.push({ type: 'session.unlock', at, workstation: 'COW-1', outcome: 'success' });
    }
  });
  return events.map((event, i) => {
    const position = { segment: 'seg-0000000000000001.jsonl', offset: (i + 1) * 100, seq: i + 1 };
    return {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      seq: i + 1,
      event,
      segment: position.segment,
      offset: i * 100,
      next: position,
    };
  });
}

describe('every granted break-glass start has exactly one alert and one review item', () => {
  it('across relay failures, crashes before the cursor is saved, and duplicate deliveries to the review source', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { maxLength: 14 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 5 }),
        async (steps, relayFails, crashes, batchSize) => {
          const records = journalOf(steps);
          // The relay: what it accepted (a mail client shows one mail per Message-ID).
          const accepted: string[] = [];
          let sends = 0;
          const mailer: AlertMailer = {
            async sendMail(mail) {
              if (relayFails[sends++ % relayFails.length]) throw new Error('421 try again later');
              accepted.push(String(mail.messageId));
            },
            close: () => {},
          };
          const transport = new SmtpAlertTransport(
            { from: 'careshell@h.test', to: ['po@h.test'], reviewInstructions: 'Review it.', relay: 'test' },
            mailer,
          );
          // The forwarder's loop: the cursor moves past what the relay took, unless a crash comes first.
          const reviewSource = new Map<string, unknown>();
          let cursor = 0;
          for (let attempt = 0; cursor < records.length; attempt++) {
            const batch = records.slice(cursor, cursor + batchSize);
            let delivered = batch.length;
            try {
              await transport.send(batch);
            } catch (error) {
              if (!(error instanceof DeliveryError)) throw error;
              delivered = error.delivered;
              // Relay failures eventually stop: after the pattern ran once, it lets everything through.
              if (attempt > 3 * records.length) relayFails.fill(false);
            }
            // The FHIR forwarder PUTs the same batch: at least once, each under its own id.
            for (const record of batch.slice(0, Math.max(delivered, 1)))
              reviewSource.set(record.id, toFhirAuditEvent(record));
            if (!crashes[attempt % crashes.length] || attempt > 3 * records.length) cursor += delivered;
          }
          const starts = records.filter((r) => r.event.type === 'breakglass.start' && r.event.outcome === 'success');
          expect(new Set(accepted)).toEqual(new Set(starts.map((r) => alertMessageId(r.id))));

          const reread = [...reviewSource.values()].map((resource) => {
            const read = recordFromFhir(resource);
            if (!read.ok) throw new Error(read.problem);
            return read.record;
          });
          const episodes = queueEpisodes(reread, { since: new Date(0), now: new Date(Date.UTC(2026, 11, 2)) });
          expect(episodes.map((e) => e.grantId).sort()).toEqual(
            starts.map((r) => String(r.event.details?.grantId)).sort(),
          );
        },
      ),
      { numRuns: 10_000 },
    );
  });
});
