import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../main/audit/audit-event.js';
import { queueEpisodes } from '../../../main/review/review-queue.js';
import { breakGlassStart, breakGlassStop } from '../../support/break-glass-events.js';

const rec = (id: string, event: AuditEvent) => ({ id, event });
const review = (grantId: string, decision: string, at: string): AuditEvent => ({
  type: 'breakglass.review',
  at,
  workstation: 'PO-1',
  actor: { userId: 'u-privacy-dan', displayName: 'Dan Weber', roles: ['privacy-officer'] },
  outcome: 'success',
  details: { grantId, decision, note: `note ${decision}`, subjectUserId: 'u-nurse-ana' },
});
const now = new Date('2026-12-06T12:00:00.000Z');
const since = new Date('2026-11-06T12:00:00.000Z');

describe('queueEpisodes', () => {
  it('gives one episode per granted start, newest first, with its end, time in force and latest decision', () => {
    const a = { grantId: 'bg-a', patient: 'Patient/p-1', startedAt: '2026-12-06T01:00:00.000Z', durationMin: 60 };
    const b = { grantId: 'bg-b', startedAt: '2026-12-06T11:30:00.000Z', durationMin: 240, workstation: 'ED-2' };
    const episodes = queueEpisodes(
      [
        rec('1', breakGlassStart(a)),
        rec('1', breakGlassStart(a)), // delivered twice
        rec('2', breakGlassStop(a, '2026-12-06T01:25:00.000Z')),
        rec('3', breakGlassStart(b)),
        rec('4', { ...breakGlassStart({ grantId: 'bg-refused' }), outcome: 'failure' }),
        rec('5', review('bg-a', 'escalate', '2026-12-06T09:00:00.000Z')),
        rec('6', review('bg-a', 'justified', '2026-12-06T10:00:00.000Z')),
      ],
      { since, now },
    );
    expect(episodes.map((e) => e.grantId)).toEqual(['bg-b', 'bg-a']);
    const [running, ended] = episodes;
    expect(running).toMatchObject({ active: true, minutesInForce: 30, workstation: 'ED-2', scope: 'all-restricted' });
    expect(running!.decision).toBeUndefined();
    expect(ended).toMatchObject({
      active: false,
      endedBy: 'end-now',
      minutesInForce: 25,
      plannedMinutes: 60,
      patients: ['Patient/p-1'],
      attested: true,
      reasonText: 'Collapsed in the ED, no history available',
      decision: { decision: 'justified', reviewer: 'Dan Weber', note: 'note justified' },
    });
  });

  it("counts the user's episodes over the 30 days up to each one, and lists only those since the window", () => {
    const at = (day: number) => new Date(Date.UTC(2026, 10, day, 8)).toISOString();
    const records = [1, 5, 20, 32].map((day) =>
      rec(`s${day}`, breakGlassStart({ grantId: `bg-${day}`, startedAt: at(day) })),
    );
    records.push(rec('other', breakGlassStart({ grantId: 'bg-ben', userId: 'u-er-ben', startedAt: at(21) })));
    const episodes = queueEpisodes(records, { since: new Date(at(4)), now });
    expect(episodes.map((e) => [e.grantId, e.episodesIn30Days])).toEqual([
      ['bg-32', 3], // 5, 20, 32: day 1 is 31 days before
      ['bg-ben', 1],
      ['bg-20', 3],
      ['bg-5', 2],
    ]);
  });

  it('ends an episode without a recorded stop at its expiry', () => {
    const [episode] = queueEpisodes(
      [rec('1', breakGlassStart({ grantId: 'bg-x', startedAt: '2026-12-06T02:00:00.000Z', durationMin: 15 }))],
      { since, now },
    );
    expect(episode).toMatchObject({ active: false, minutesInForce: 15 });
    expect(episode!.endedBy).toBeUndefined();
  });
});
