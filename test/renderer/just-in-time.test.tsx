// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/App';
import {
  createCareShellApi,
  type InvokeChannel,
  type JustInTimeState,
  type PreferencesView,
  type SessionView,
} from '../../preload/contract';
import { baseView, nurse } from './fake-api';

afterEach(cleanup);

const active: SessionView = { ...baseView, screen: 'active', user: nurse, sessionElapsedMs: 0 };
const form: NonNullable<JustInTimeState['dialog']> = {
  step: 'form',
  scopes: [
    {
      kind: 'unit',
      values: [
        { value: 'unit-4w', label: '4 West' },
        { value: 'unit-ed', label: 'Emergency Department' },
      ],
      maxMinutes: 720,
      autoApprove: true,
      stepUp: false,
    },
    { kind: 'patient', values: [], maxMinutes: 60, autoApprove: false, stepUp: true },
    {
      kind: 'role',
      values: [{ value: 'charge-nurse', label: 'Charge nurse' }],
      maxMinutes: 720,
      autoApprove: false,
      stepUp: false,
    },
  ],
  purposes: [
    { code: 'covering-unit', label: 'Covering another unit' },
    { code: 'consult', label: 'Consult' },
  ],
  minMinutes: 5,
  defaultMinutes: 60,
  busy: false,
};
const request = {
  requester: 'Ana Lopez, RN',
  scope: 'role' as const,
  value: 'charge-nurse',
  valueLabel: 'Charge nurse',
  purpose: 'Covering another unit',
  purposeText: 'Charge nurse off sick',
  durationMinutes: 30,
};

/** A window.careshell whose just-in-time state the test pushes; records every just-in-time request. */
function jitApi(state: JustInTimeState, language: 'en' | 'es' = 'en') {
  const preferences: PreferencesView = {
    values: { language, soundCues: false, pinPadLayout: 'phone' },
    locked: [],
    choices: { language: ['en', 'es'], pinPadLayout: ['phone'] },
  };
  const requests: { channel: InvokeChannel; request: unknown }[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const api = createCareShellApi({
    invoke: async (channel, req) => {
      if (channel === 'session:get-view') return active as never;
      if (channel === 'jit:get-state') return state as never;
      if (channel === 'temporary:get-sponsor') return null as never;
      if (channel === 'breakglass:get-state') return { offered: false } as never;
      if (channel === 'readers:get-status') return { readers: [] } as never;
      if (channel === 'preferences:get') return preferences as never;
      requests.push({ channel, request: req });
      return { ok: true } as never;
    },
    subscribe(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  });
  const push = (next: JustInTimeState) =>
    act(() => {
      for (const listener of listeners.get('jit:state') ?? []) listener(next);
    });
  return { api, requests, push };
}

describe('just-in-time access in the renderer', () => {
  it('the header offers Request access only when main says the role may', async () => {
    const fake = jitApi({ offered: false });
    render(<App api={fake.api} />);
    await screen.findByTestId('workstation');
    expect(screen.queryByTestId('jit-request')).toBeNull();
    await fake.push({ offered: true });
    fireEvent.click(screen.getByTestId('jit-request'));
    expect(fake.requests.map((r) => r.channel)).toEqual(['jit:open']);
  });

  it('the form sends scope, value, purpose, free text and a duration within the scope limit', async () => {
    const fake = jitApi({ offered: true, dialog: form });
    render(<App api={fake.api} />);
    await screen.findByTestId('jit-dialog');
    expect(screen.getByTestId('jit-approval-note').textContent).toBe('Granted at once by policy (low-risk).');
    fireEvent.click(screen.getByTestId('jit-scope-patient'));
    expect(screen.getByTestId('jit-approval-note').textContent).toBe(
      'An approver must confirm with their badge and PIN. You will confirm it is you first.',
    );
    // The patient scope allows 60 minutes at most: longer choices are not offered.
    const durations = [...(screen.getByTestId('jit-duration') as HTMLSelectElement).options].map((o) =>
      Number(o.value),
    );
    expect(Math.max(...durations)).toBe(60);
    fireEvent.click(screen.getByTestId('jit-scope-unit'));
    fireEvent.change(screen.getByTestId('jit-value'), { target: { value: 'unit-ed' } });
    expect((screen.getByTestId('jit-submit') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId('jit-purpose-text'), { target: { value: 'Night cover' } });
    fireEvent.change(screen.getByTestId('jit-duration'), { target: { value: '120' } });
    fireEvent.click(screen.getByTestId('jit-submit'));
    await act(async () => {});
    expect(fake.requests).toEqual([
      {
        channel: 'jit:submit',
        request: {
          scope: 'unit',
          value: 'unit-ed',
          purposeCode: 'covering-unit',
          purposeText: 'Night cover',
          durationMinutes: 120,
        },
      },
    ]);
  });

  it('asks the approver to tap, then takes their PIN to approve, or a reason to refuse', async () => {
    const fake = jitApi({ offered: true, dialog: { ...form, step: 'approver', request } });
    render(<App api={fake.api} />);
    expect((await screen.findByTestId('jit-summary')).textContent).toBe(
      'Ana Lopez, RN asks for A role: Charge nurse for 30 min. Purpose: Covering another unit (Charge nurse off sick).',
    );
    expect(screen.getByTestId('jit-tap-badge').textContent).toBe('Approver: tap your badge on the reader.');
    await fake.push({
      offered: true,
      dialog: { ...form, step: 'approver', request, approver: 'Dr Ben Okafor', error: undefined },
    });
    fireEvent.change(screen.getByTestId('jit-approver-pin'), { target: { value: '7391' } });
    fireEvent.click(screen.getByTestId('jit-approve'));
    await act(async () => {});
    fireEvent.change(screen.getByTestId('jit-approver-pin'), { target: { value: '7391' } });
    fireEvent.click(screen.getByTestId('jit-refuse'));
    fireEvent.change(screen.getByTestId('jit-refuse-reason'), { target: { value: 'Ward covered' } });
    fireEvent.click(screen.getByTestId('jit-refuse'));
    await act(async () => {});
    expect(fake.requests).toEqual([
      { channel: 'jit:approver-decide', request: { pin: '7391', decision: 'approve' } },
      { channel: 'jit:approver-decide', request: { pin: '7391', decision: 'refuse', reason: 'Ward covered' } },
    ]);
  });

  it("shows main's refusal of an approver (self-approval, wrong role) in the dialog", async () => {
    const fake = jitApi({
      offered: true,
      dialog: {
        ...form,
        step: 'approver',
        request,
        error: 'You cannot approve your own request: another colleague must.',
      },
    });
    render(<App api={fake.api} />);
    expect((await screen.findByTestId('jit-error')).textContent).toMatch(/cannot approve your own request/);
  });

  it('the banner shows what is granted, who approved, the time left and End now', async () => {
    const fake = jitApi({
      offered: true,
      grant: {
        scope: 'role',
        value: 'charge-nurse',
        label: 'Charge nurse',
        msLeft: 30 * 60_000,
        approvedBy: 'Dr Ben Okafor',
      },
    });
    render(<App api={fake.api} />);
    const banner = await screen.findByTestId('jit-banner');
    expect(banner.textContent).toContain('Just-in-time access: Charge nurse');
    expect(screen.getByTestId('jit-approved-by').textContent).toBe('approved by Dr Ben Okafor');
    expect(screen.getByTestId('jit-time-left').textContent).toBe('30:00');
    fireEvent.click(screen.getByTestId('jit-end-now'));
    expect(fake.requests.map((r) => r.channel)).toEqual(['jit:end']);
    await fake.push({ offered: true });
    expect(screen.queryByTestId('jit-banner')).toBeNull();
  });

  it('speaks Spanish when the workstation does', async () => {
    const fake = jitApi(
      {
        offered: true,
        dialog: { ...form, step: 'approver', request },
        grant: { scope: 'unit', value: 'unit-ed', label: 'Urgencias', msLeft: 60_000 },
      },
      'es',
    );
    render(<App api={fake.api} />);
    // The workstation's language arrives with its preferences, after the first render (in English).
    await waitFor(() =>
      expect(screen.getByTestId('jit-tap-badge').textContent).toBe('Aprobador: acerque su tarjeta al lector.'),
    );
    expect(screen.getByTestId('jit-banner').textContent).toContain('Acceso temporal: Urgencias');
    expect(screen.getByTestId('jit-approved-by').textContent).toBe('aprobado por la política');
    expect(screen.getByTestId('jit-request').textContent).toBe('Solicitar acceso');
  });
});
