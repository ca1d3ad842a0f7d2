// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../renderer/App';
import { LockScreen } from '../../../renderer/components/LockScreen';
import { Workstation } from '../../../renderer/components/Workstation';
import { createTranslator, noticeText } from '../../../renderer/i18n/i18n';
import { TranslateContext } from '../../../renderer/i18n/use-t';
import {
  createCareShellApi,
  type InvokeChannel,
  type PreferencesView,
  type SessionView,
  type SponsorState,
} from '../../../preload/contract';
import { baseView, fakeApi } from '../fake-api';

afterEach(cleanup);

const UNTIL = '2026-01-15T08:00:00.000Z';
const locum = { displayName: 'Dr Lee Park (locum)', roles: ['locum', 'clinical'], temporaryUntil: UNTIL };

const sponsorState = (over: Partial<NonNullable<SponsorState>> = {}): NonNullable<SponsorState> => ({
  newcomer: 'Dr Lee Park (locum)',
  step: 'badge',
  maxDays: 14,
  defaultDays: 7,
  shifts: [{ start: '07:00', end: '19:30' }],
  requireShift: false,
  now: '2026-01-01T08:00:00.000Z',
  busy: false,
  ...over,
});

/** A window.careshell whose sponsor state the test pushes; records every temporary:* request. */
function sponsorApi(first: SponsorState, language: 'en' | 'es' = 'en') {
  const requests: { channel: InvokeChannel; request: unknown }[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const view: SessionView = {
    ...baseView,
    enrollment: { purpose: 'enroll', step: 'choose-pin', displayName: locum.displayName },
  };
  const preferences: PreferencesView = {
    values: { language, soundCues: false, pinPadLayout: 'phone' },
    locked: [],
    choices: { language: ['en', 'es'], pinPadLayout: ['phone'] },
  };
  let answer: { ok: boolean; message?: string } = { ok: true };
  const api = createCareShellApi({
    invoke: async (channel, request) => {
      if (channel === 'session:get-view') return view as never;
      if (channel === 'temporary:get-sponsor') return first as never;
      if (channel === 'jit:get-state') return { offered: false } as never;
      if (channel === 'readers:get-status') return { readers: [] } as never;
      if (channel === 'preferences:get') return preferences as never;
      if (channel === 'breakglass:get-state') return { offered: false } as never;
      requests.push({ channel, request });
      return answer as never;
    },
    subscribe(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  });
  return {
    api,
    requests,
    answer: (next: { ok: boolean; message?: string }) => (answer = next),
    push: (state: SponsorState) => {
      for (const l of listeners.get('temporary:sponsor') ?? []) l(state);
    },
  };
}

describe('the sponsor step of a temporary enrollment', () => {
  it('asks the sponsor to tap their badge, then for their PIN, then for the days and shift', async () => {
    const { api, requests, push } = sponsorApi(sponsorState());
    render(<App api={api} />);
    const dialog = await screen.findByTestId('sponsor-dialog');
    expect(dialog.textContent).toContain('A sponsor must confirm Dr Lee Park (locum)');
    expect(screen.getByTestId('sponsor-tap').textContent).toBe('Sponsor: tap your badge on the reader.');

    act(() => push(sponsorState({ step: 'pin', sponsor: 'Chris Hall, Charge Nurse' })));
    expect(screen.getByLabelText('Chris Hall, Charge Nurse, enter your PIN to sponsor')).toBeTruthy();
    fireEvent.change(screen.getByTestId('sponsor-pin'), { target: { value: '2468' } });
    fireEvent.click(screen.getByTestId('sponsor-pin-submit'));
    await waitFor(() => expect(requests.map((r) => r.channel)).toContain('temporary:sponsor-pin'));
    expect(requests[0]!.request).toEqual({ pin: '2468' });

    act(() => push(sponsorState({ step: 'terms', sponsor: 'Chris Hall, Charge Nurse' })));
    const days = screen.getByTestId('sponsor-days') as HTMLSelectElement;
    // One choice per day up to the policy maximum, each with its end date; the policy default is chosen.
    expect(days.options).toHaveLength(14);
    expect(days.value).toBe('7');
    expect(days.options[0]!.textContent).toBe('1 day (until 2 Jan 2026)');
    expect(days.options[13]!.textContent).toBe('14 days (until 15 Jan 2026)');
    fireEvent.change(days, { target: { value: '3' } });
    fireEvent.change(screen.getByTestId('sponsor-shift'), { target: { value: '07:00-19:30' } });
    fireEvent.click(screen.getByTestId('sponsor-confirm'));
    await waitFor(() => expect(requests.map((r) => r.channel)).toContain('temporary:sponsor-confirm'));
    expect(requests.at(-1)!.request).toEqual({ days: 3, shift: { start: '07:00', end: '19:30' } });

    act(() => push(null));
    expect(screen.queryByTestId('sponsor-dialog')).toBeNull();
  });

  it('offers "any time" only when policy does not require a shift window', async () => {
    const { api, requests } = sponsorApi(sponsorState({ step: 'terms', sponsor: 'Chris', requireShift: true }));
    render(<App api={api} />);
    const shift = (await screen.findByTestId('sponsor-shift')) as HTMLSelectElement;
    expect([...shift.options].map((o) => o.value)).toEqual(['07:00-19:30']);
    fireEvent.click(screen.getByTestId('sponsor-confirm'));
    await waitFor(() => expect(requests.at(-1)?.request).toEqual({ days: 7, shift: { start: '07:00', end: '19:30' } }));
  });

  it("shows main's refusal of a sponsor (wrong role, self-sponsorship) as an alert", async () => {
    const refused = 'Ana Lopez, RN cannot sponsor temporary staff: a sponsor needs the role charge-nurse.';
    const { api } = sponsorApi(sponsorState({ error: refused }));
    render(<App api={api} />);
    expect((await screen.findByTestId('sponsor-error')).textContent).toBe(refused);
    expect(screen.getByTestId('sponsor-error').getAttribute('role')).toBe('alert');
  });

  it('cancels the enrollment from the dialog', async () => {
    const { api, requests } = sponsorApi(sponsorState());
    render(<App api={api} />);
    fireEvent.click(await screen.findByTestId('sponsor-cancel'));
    await waitFor(() => expect(requests.map((r) => r.channel)).toEqual(['temporary:sponsor-cancel']));
  });

  it('is worded in Spanish for a Spanish screen', async () => {
    const { api } = sponsorApi(sponsorState({ step: 'terms', sponsor: 'Chris' }), 'es');
    render(<App api={api} />);
    // The language arrives with the preferences, after the first draw.
    await waitFor(() =>
      expect(screen.getByTestId('sponsor-dialog').textContent).toContain(
        'Un responsable debe confirmar a Dr Lee Park (locum)',
      ),
    );
    expect((screen.getByTestId('sponsor-days') as HTMLSelectElement).options[1]!.textContent).toBe(
      '2 días (hasta el 3 ene 2026)',
    );
  });
});

describe('temporary staff on the screens', () => {
  const renderIn = (language: 'en' | 'es', node: React.ReactNode) =>
    render(<TranslateContext value={createTranslator(language)}>{node}</TranslateContext>);

  it('shows "Temporary until" in the header of a temporary user, and nothing for anyone else', () => {
    const view: SessionView = { ...baseView, screen: 'active', user: locum, sessionElapsedMs: 0 };
    const { api } = fakeApi(view);
    renderIn('en', <Workstation view={view} receivedAt={0} api={api} dialogOpen={false} />);
    expect(screen.getByTestId('temporary-chip').textContent).toBe('Temporary until 15 Jan 2026');
    cleanup();
    const permanent: SessionView = { ...view, user: { displayName: 'Ana Lopez, RN', roles: ['nurse'] } };
    renderIn('en', <Workstation view={permanent} receivedAt={0} api={fakeApi(permanent).api} dialogOpen={false} />);
    expect(screen.queryByTestId('temporary-chip')).toBeNull();
  });

  it('shows it on the lock screen of a kept session and beside the PIN pad', () => {
    const locked: SessionView = { ...baseView, screen: 'locked', user: locum, reverify: 'badge+pin' };
    renderIn('es', <LockScreen view={locked} receivedAt={0} api={fakeApi(locked).api} />);
    expect(screen.getByTestId('locked-temporary').textContent).toBe('Temporal hasta el 15 ene 2026');
    cleanup();
    const pin: SessionView = {
      ...baseView,
      pinPrompt: { displayName: locum.displayName, temporaryUntil: UNTIL, canReset: true },
    };
    renderIn('en', <LockScreen view={pin} receivedAt={0} api={fakeApi(pin).api} />);
    expect(screen.getByTestId('pin-temporary').textContent).toBe('Temporary until 15 Jan 2026');
  });

  it('words the refusals plainly, with the date in the screen language', () => {
    const en = createTranslator('en');
    const es = createTranslator('es');
    const ended = { level: 'error' as const, id: 'temporaryAccessEnded' as const, params: { date: UNTIL } };
    expect(noticeText(en, ended)).toBe(
      'Your temporary access ended on 15 Jan 2026. Ask your sponsor or the staffing office.',
    );
    expect(noticeText(es, ended)).toBe(
      'Su acceso temporal terminó el 15 ene 2026. Consulte a su responsable o a la oficina de personal.',
    );
    const offShift = {
      level: 'error' as const,
      id: 'temporaryOffShift' as const,
      params: { start: '07:00', end: '19:30' },
    };
    expect(noticeText(en, offShift)).toBe(
      'Your temporary access works only during your shift, 07:00 to 19:30. Ask your sponsor or the staffing office.',
    );
  });
});
