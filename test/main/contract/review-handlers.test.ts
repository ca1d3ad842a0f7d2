import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/manual-clock.js';
import { systemRandom } from '../../../common/random.js';
import type { AuditEvent } from '../../../main/audit/audit-event.js';
import { reviewHandlers } from '../../../main/contract/review-handlers.js';
import type { ReviewRecord } from '../../../main/review/review-record.js';
import { ReviewService } from '../../../main/review/review-service.js';
import type { LifecycleEvent } from '../../../main/session/engine-state.js';
import type { SessionView } from '../../../preload/contract.js';
import { breakGlassStart } from '../../support/break-glass-events.js';

function rig(user: { displayName: string; roles: string[] }, userId: string) {
  const records: ReviewRecord[] = [
    { id: 'e-1', event: breakGlassStart({ grantId: 'bg-1', startedAt: '2026-12-06T01:00:00.000Z' }) },
  ];
  const journaled: AuditEvent[] = [];
  const tokensAsked: string[] = [];
  const chartsToken: string[] = [];
  const published: boolean[] = [];
  let lifecycle: (event: LifecycleEvent) => void = () => {};
  const view: SessionView = { screen: 'active', workstation: 'WS-1', profile: 'default', suspendedCount: 0, user };
  const service = new ReviewService({
    source: {
      search: async () => ({ records, unreadable: [] }),
      put: async (record) => void records.push({ id: record.id, event: record.event }),
    },
    chartsOpened: async (_ehr, _grant, token) => {
      chartsToken.push(token);
      return [];
    },
    journal: {
      record: async (event) => {
        journaled.push(event);
        return { id: `j-${journaled.length}`, seq: journaled.length };
      },
    },
    clock: new ManualClock(new Date('2026-12-06T12:00:00.000Z')),
    random: systemRandom,
    workstation: 'WS-1',
    windowDays: 30,
  });
  const { handlers } = reviewHandlers({
    session: {
      view: () => view,
      onLifecycle: (listener) => {
        lifecycle = listener;
        return () => {};
      },
    },
    review: { service, reviewerRole: 'privacy-officer' },
    publishOpen: (open) => published.push(open),
    accessToken: async (id) => {
      tokensAsked.push(id);
      return `token-of-${id}`;
    },
  });
  lifecycle({ kind: 'shown', sessionId: 's-1', userId });
  return {
    handlers,
    journaled,
    tokensAsked,
    chartsToken,
    published,
    lifecycle: (event: LifecycleEvent) => lifecycle(event),
  };
}

describe('reviewHandlers: the break-glass review over the contract', () => {
  it('refuses anyone without the privacy-officer role, whatever they ask', async () => {
    const { handlers, journaled } = rig({ displayName: 'Ana Lopez, RN', roles: ['nurse', 'clinical'] }, 'u-nurse-ana');
    expect(await handlers['review:get-queue'](undefined)).toEqual({
      ok: false,
      message: 'Break-glass review is for the privacy-officer role only.',
    });
    expect(await handlers['review:decide']({ grantId: 'bg-1', decision: 'justified', note: 'mine' })).toMatchObject({
      ok: false,
    });
    expect(journaled).toEqual([]);
  });

  it('gives the privacy officer the queue, read with their own token, and journals their decision as theirs', async () => {
    const { handlers, journaled, tokensAsked, chartsToken } = rig(
      { displayName: 'Dan Weber', roles: ['privacy-officer'] },
      'u-privacy-dan',
    );
    const result = await handlers['review:get-queue'](undefined);
    expect(result.ok && result.queue.episodes.map((e) => e.grantId)).toEqual(['bg-1']);
    expect(tokensAsked).toEqual(['u-privacy-dan']);
    expect(chartsToken).toEqual(['token-of-u-privacy-dan']);
    expect(await handlers['review:decide']({ grantId: 'bg-1', decision: 'escalate', note: 'VIP' })).toEqual({
      ok: true,
      message: 'Recorded: escalate.',
    });
    expect(journaled).toEqual([
      expect.objectContaining({
        type: 'breakglass.review',
        actor: { userId: 'u-privacy-dan', displayName: 'Dan Weber', roles: ['privacy-officer'] },
        details: { grantId: 'bg-1', decision: 'escalate', note: 'VIP', subjectUserId: 'u-nurse-ana' },
      }),
    ]);
  });

  it('takes the EHR view off the screen while a reviewer has the review open, and gives it back at a lock', async () => {
    const { handlers, published, lifecycle } = rig(
      { displayName: 'Dan Weber', roles: ['privacy-officer'] },
      'u-privacy-dan',
    );
    expect(await handlers['review:set-open']({ open: true })).toEqual({ ok: true });
    expect(await handlers['review:set-open']({ open: false })).toEqual({ ok: true });
    await handlers['review:set-open']({ open: true });
    lifecycle({ kind: 'hidden', sessionId: 's-1', userId: 'u-privacy-dan' });
    expect(published).toEqual([true, false, true, false]);
  });

  it('does not let anyone else hide the EHR view with it', async () => {
    const { handlers, published } = rig({ displayName: 'Ana Lopez, RN', roles: ['nurse'] }, 'u-nurse-ana');
    expect((await handlers['review:set-open']({ open: true })).ok).toBe(false);
    expect(published).toEqual([]);
  });
});
