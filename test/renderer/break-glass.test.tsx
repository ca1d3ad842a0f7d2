// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/App';
import {
  createCareShellApi,
  type BreakGlassState,
  type EhrFrame,
  type InvokeChannel,
  type PreferencesView,
  type SessionView,
} from '../../preload/contract';
import { baseView, nurse } from './fake-api';

afterEach(cleanup);

const active: SessionView = { ...baseView, screen: 'active', user: nurse, sessionElapsedMs: 0 };
const dialog: NonNullable<BreakGlassState['dialog']> = {
  extending: false,
  patient: 'Patient/p-1005',
  restrictions: ['other-unit'],
  reasons: [
    { code: 'emergency-care', label: 'Emergency care' },
    { code: 'urgent-consult', label: 'Urgent consult' },
  ],
  scopes: ['patient'],
  minMinutes: 15,
  maxMinutes: 480,
  defaultMinutes: 240,
  episodesIn30Days: 1,
  busy: false,
};

const preferences: PreferencesView = {
  values: { language: 'en', soundCues: false, pinPadLayout: 'phone' },
  locked: [],
  choices: { language: ['en'], pinPadLayout: ['phone'] },
};

/** A window.careshell whose break-glass state and EHR frame the test pushes; records every break-glass request. */
function breakGlassApi(state: BreakGlassState, view: SessionView = active) {
  const requests: { channel: InvokeChannel; request: unknown }[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const api = createCareShellApi({
    invoke: async (channel, request) => {
      if (channel === 'session:get-view') return view as never;
      if (channel === 'breakglass:get-state') return state as never;
      if (channel === 'jit:get-state') return { offered: false } as never;
      if (channel === 'readers:get-status') return { readers: [] } as never;
      if (channel === 'preferences:get') return preferences as never;
      if (channel === 'temporary:get-sponsor') return null as never;
      requests.push({ channel, request });
      return { ok: true } as never;
    },
    subscribe(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  });
  const emit = (channel: string, payload: unknown) =>
    act(() => {
      for (const listener of listeners.get(channel) ?? []) listener(payload);
    });
  return {
    api,
    requests,
    push: (next: BreakGlassState) => emit('breakglass:state', next),
    frame: (next: EhrFrame) => emit('ehr:frame', next),
  };
}

describe('break-glass in the renderer', () => {
  it('the header offers Emergency access only when main says the role may', async () => {
    const fake = breakGlassApi({ offered: false });
    render(<App api={fake.api} />);
    await screen.findByTestId('workstation');
    expect(screen.queryByTestId('emergency-access')).toBeNull();
    await fake.push({ offered: true });
    fireEvent.click(screen.getByTestId('emergency-access'));
    expect(fake.requests.map((r) => r.channel)).toEqual(['breakglass:open']);
  });

  it('the dialog sends a coded reason, the text, the attestation, the time box and the patient', async () => {
    const fake = breakGlassApi({ offered: true, dialog });
    render(<App api={fake.api} />);
    await screen.findByTestId('break-glass-dialog');
    const confirm = screen.getByTestId('bg-confirm') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.click(screen.getByTestId('bg-reason-urgent-consult'));
    fireEvent.change(screen.getByTestId('bg-reason-text'), { target: { value: 'Consult in resus' } });
    fireEvent.change(screen.getByTestId('bg-duration'), { target: { value: '60' } });
    expect(confirm.disabled).toBe(true);
    fireEvent.click(screen.getByTestId('bg-attest'));
    await act(async () => fireEvent.click(confirm));
    expect(fake.requests.at(-1)).toEqual({
      channel: 'breakglass:confirm',
      request: {
        scope: 'patient',
        patient: 'Patient/p-1005',
        reasonCode: 'urgent-consult',
        reasonText: 'Consult in resus',
        attested: true,
        durationMinutes: 60,
      },
    });
    // Durations beyond the policy's maximum are not offered.
    await fake.push({ offered: true, dialog: { ...dialog, maxMinutes: 60, defaultMinutes: 60 } });
    const offered = [...(screen.getByTestId('bg-duration') as HTMLSelectElement).options].map((o) => o.value);
    expect(offered).toEqual(['15', '30', '60']);
  });

  it('the countdown banner shows the patient, the time left and the warning; End now asks main', async () => {
    const fake = breakGlassApi({ offered: true });
    render(<App api={fake.api} />);
    await screen.findByTestId('workstation');
    await fake.push({
      offered: true,
      grant: {
        scope: 'patient',
        patient: 'Patient/p-1005',
        msLeft: 600_000,
        warning: 'ends in 10 minutes',
        canExtend: true,
      },
    });
    expect(screen.getByTestId('break-glass-banner').textContent).toContain('Patient/p-1005');
    expect(screen.getByTestId('bg-time-left').textContent).toBe('10:00');
    expect(screen.getByTestId('bg-warning').textContent).toBe('ends in 10 minutes');
    fireEvent.click(screen.getByTestId('bg-end-now'));
    fireEvent.click(screen.getByTestId('bg-extend'));
    expect(fake.requests.map((r) => r.channel)).toEqual(['breakglass:end', 'breakglass:extend']);
  });

  it('the EHR frame is mounted only when main sends one, and hidden under a modal', async () => {
    const fake = breakGlassApi({ offered: false });
    render(<App api={fake.api} />);
    await screen.findByTestId('ehr-pane');
    expect(screen.queryByTestId('ehr-frame')).toBeNull();
    await fake.frame({ key: 1, url: 'http://127.0.0.1:4100/sso/handover/abc', hidden: false });
    const frame = screen.getByTestId('ehr-frame') as HTMLIFrameElement;
    expect(frame.src).toBe('http://127.0.0.1:4100/sso/handover/abc');
    expect(frame.hidden).toBe(false);
    await fake.frame({ key: 1, url: 'http://127.0.0.1:4100/sso/handover/abc', hidden: true });
    expect((screen.getByTestId('ehr-frame') as HTMLIFrameElement).hidden).toBe(true);
    await fake.frame(null);
    expect(screen.queryByTestId('ehr-frame')).toBeNull();
  });
});
