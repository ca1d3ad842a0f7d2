// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReviewEpisode } from '../../../common/break-glass-review';
import type { JustInTimeReviewEntry } from '../../../common/just-in-time-review';
import type { TemporaryStaffReviewEntry } from '../../../common/temporary-staff-review';
import { createCareShellApi, type ContractTransport, type SessionView } from '../../../preload/contract';
import { Workstation } from '../../../renderer/components/Workstation';

afterEach(cleanup);

const episode: ReviewEpisode = {
  grantId: 'bg-1',
  user: { userId: 'u-nurse-ana', displayName: 'Ana Lopez, RN' },
  workstation: 'COW-3F-12',
  patients: ['Patient/p-1005'],
  scope: 'patient',
  reasonCode: 'emergency-care',
  reasonText: 'Collapsed in the ED',
  attested: true,
  startedAt: '2026-12-06T01:00:00.000Z',
  expiresAt: '2026-12-06T02:00:00.000Z',
  plannedMinutes: 60,
  endedBy: 'end-now',
  endedAt: '2026-12-06T01:20:00.000Z',
  minutesInForce: 20,
  active: false,
  episodesIn30Days: 3,
  charts: {
    state: 'read',
    opens: [{ patient: 'Patient/p-1005', what: 'chart', at: '2026-12-06T01:01:00.000Z', opened: true }],
  },
};

const jitEntry: JustInTimeReviewEntry = {
  requestId: 'jr-1',
  requester: { userId: 'u-nurse-ana', displayName: 'Ana Lopez, RN' },
  workstation: 'COW-3F-12',
  scope: 'role',
  scopeValue: 'charge-nurse',
  purposeCode: 'covering-unit',
  purposeText: 'Charge nurse off sick',
  requestedAt: '2026-12-06T03:00:00.000Z',
  durationMinutes: 30,
  outcome: 'granted',
  approval: 'approver',
  approver: 'u-er-ben',
  rejectedApprovers: [{ approver: 'u-billing-cara', why: 'approver-role' }],
  grantId: 'jit-1',
  startedAt: '2026-12-06T03:01:00.000Z',
  endedAt: '2026-12-06T03:31:00.000Z',
  endedBy: 'expiry',
};

const temporaryEntry: TemporaryStaffReviewEntry = {
  person: { userId: 'u-locum-sam', displayName: 'Dr Sam Rivera' },
  sponsor: { userId: 'u-charge-chris', displayName: 'Chris Hall' },
  workstation: 'DEMO-WS-01',
  enrolledAt: '2026-12-01T07:10:00.000Z',
  expiresAt: '2026-12-04T07:10:00.000Z',
  shift: '07:00-19:30',
  endedAt: '2026-12-04T07:10:00.000Z',
  endedWhy: 'end date reached',
};

function rig(roles: string[]) {
  const decisions: unknown[] = [];
  let decided = false;
  const transport: ContractTransport = {
    invoke: async (channel, request) => {
      if (channel === 'review:get-queue') {
        const shown = decided
          ? {
              ...episode,
              decision: {
                decision: 'justified',
                note: 'ED trauma',
                reviewer: 'Dan Weber',
                at: '2026-12-06T09:00:00.000Z',
              },
            }
          : episode;
        return {
          ok: true,
          queue: {
            since: '2026-11-06T00:00:00.000Z',
            episodes: [shown],
            justInTime: [
              jitEntry,
              {
                ...jitEntry,
                requestId: 'jit-r2',
                outcome: 'withdrawn',
                withdrawnWhy: 'withdrawn by the requester',
                rejectedApprovers: [],
              },
            ],
            temporaryStaff: [temporaryEntry],
          },
        } as never;
      }
      if (channel === 'review:decide') {
        decisions.push(request);
        decided = true;
        return { ok: true, message: 'Recorded: justified.' } as never;
      }
      return { ok: true } as never;
    },
    subscribe: () => () => {},
  };
  const view: SessionView = {
    screen: 'active',
    workstation: 'WS-1',
    profile: 'default',
    suspendedCount: 0,
    user: { displayName: 'Dan Weber', roles },
  };
  render(<Workstation view={view} receivedAt={0} api={createCareShellApi(transport)} dialogOpen={false} />);
  return { decisions };
}

describe('the break-glass review screen', () => {
  it('is offered in the header only to privacy officers', () => {
    rig(['nurse', 'clinical']);
    expect(screen.queryByTestId('open-review')).toBeNull();
    cleanup();
    rig(['privacy-officer']);
    expect(screen.getByTestId('open-review')).toBeTruthy();
  });

  it('shows each episode and records a decision only with a note', async () => {
    const { decisions } = rig(['privacy-officer']);
    fireEvent.click(screen.getByTestId('open-review'));
    const card = await screen.findByTestId('review-episode-bg-1');
    expect(card.textContent).toContain('Ana Lopez, RN');
    expect(card.textContent).toContain('COW-3F-12');
    expect(card.textContent).toContain('Patient/p-1005');
    expect(card.textContent).toContain('emergency-care: Collapsed in the ED');
    expect(card.textContent).toContain('20 of 60 min, ended: end-now');
    expect(screen.getByTestId('review-count-bg-1').textContent).toBe('3 episode(s)');
    expect(screen.queryByTestId('ehr-pane')).toBeNull();

    await act(async () => fireEvent.click(screen.getByTestId('review-justified-bg-1')));
    expect(screen.getByRole('alert').textContent).toContain('Write a note');
    expect(decisions).toEqual([]);

    fireEvent.change(screen.getByTestId('review-note-bg-1'), { target: { value: 'ED trauma' } });
    await act(async () => fireEvent.click(screen.getByTestId('review-justified-bg-1')));
    expect(decisions).toEqual([{ grantId: 'bg-1', decision: 'justified', note: 'ED trauma' }]);
    expect((await screen.findByTestId('review-decided-bg-1')).textContent).toContain('justified by Dan Weber');
    expect(screen.getByTestId('review-status').textContent).toBe('Recorded: justified.');

    // Just-in-time requests are listed beside the episodes.
    const [jit, withdrawn] = screen.getAllByTestId('review-jit-entry');
    expect(jit!.textContent).toContain('Ana Lopez, RN');
    expect(jit!.textContent).toContain('role: charge-nurse (30 min)');
    expect(jit!.textContent).toContain('covering-unit: Charge nurse off sick');
    expect(jit!.textContent).toContain('approved by u-er-ben');
    expect(jit!.textContent).toContain('turned away: u-billing-cara (approver-role)');
    expect(jit!.textContent).toContain('(expiry)');
    expect(withdrawn!.textContent).toContain('withdrawn: withdrawn by the requester');

    // And sponsored temporary enrollments: who, on whose word, until when, and why it ended.
    const temporary = screen.getByTestId('review-temporary-entry');
    expect(temporary.textContent).toContain('Dr Sam Rivera');
    expect(temporary.textContent).toContain('Chris Hall');
    expect(temporary.textContent).toContain('(shift 07:00-19:30)');
    expect(temporary.textContent).toContain('(end date reached)');

    fireEvent.click(screen.getByTestId('close-review'));
    expect(screen.getByTestId('ehr-pane')).toBeTruthy();
  });
});
