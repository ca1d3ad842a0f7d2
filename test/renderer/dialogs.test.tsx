// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/App';
import { baseView, fakeApi, nurse } from './fake-api';

afterEach(cleanup);

const active = { ...baseView, screen: 'active' as const, user: nurse, sessionElapsedMs: 0, lifetimeMsLeft: 3_600_000 };
const stepUp = { action: 'break-glass' as const, methods: ['idp' as const, 'totp' as const] };

/** Tab as a browser would after the dialog's own handling: to the next control in document order. */
function tab(shift = false): void {
  const controls = [
    ...document.querySelectorAll<HTMLElement>('button:not([disabled]), input:not([disabled]), textarea'),
  ];
  const event = fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Tab', shiftKey: shift });
  if (!event) return; // the dialog moved focus itself
  const at = controls.indexOf(document.activeElement as HTMLElement);
  controls[(at + (shift ? -1 : 1) + controls.length) % controls.length]?.focus();
}

describe('dialogs hold focus', () => {
  it('the step-up dialog focuses its code field, keeps Tab inside, cancels on Escape, and gives focus back', async () => {
    const fake = fakeApi(active);
    render(<App api={fake.api} />);
    const opener = await screen.findByTestId('setup-authenticator');
    opener.focus();
    act(() => fake.push({ ...active, stepUp }));
    const dialog = screen.getByTestId('step-up');
    expect(document.activeElement).toBe(screen.getByTestId('step-up-code'));
    for (let i = 0; i < 8; i += 1) {
      tab(i % 3 === 0);
      expect(dialog.contains(document.activeElement)).toBe(true); // never Lock, never the EHR
    }
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(fake.calls).toContain('cancel-step-up');
    act(() => fake.push(active));
    expect(document.activeElement).toBe(opener);
  });

  it('a wrong code is said inside the step-up dialog, not behind it', async () => {
    const fake = fakeApi({
      ...active,
      stepUp,
      notice: { level: 'warning', id: 'tryAgain', params: { message: 'That code is wrong.' } },
    });
    render(<App api={fake.api} />);
    const dialog = await screen.findByTestId('step-up');
    const notices = screen.getAllByTestId('notice');
    expect(notices).toHaveLength(1);
    expect(dialog.contains(notices[0]!)).toBe(true);
    expect(notices[0]!.textContent).toBe('That code is wrong.');
  });

  it('the idle warning takes focus on "I\'m still here", announces itself, and Escape stays', async () => {
    const fake = fakeApi(active);
    render(<App api={fake.api} />);
    await screen.findByTestId('workstation');
    act(() => fake.push({ ...active, screen: 'idle-warning', idleWarningMsLeft: 30_000 }));
    expect(document.activeElement).toBe(screen.getByTestId('stay-signed-in'));
    const live = screen.getByTestId('idle-announcement');
    expect(live.getAttribute('aria-live')).toBe('assertive');
    expect(live.textContent).toBe('The screen locks in 30 seconds. Choose I am still here to keep working.');
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(fake.calls).toContain('activity');
  });

  it('the authenticator setup cancels on Escape', async () => {
    const fake = fakeApi(active);
    render(<App api={fake.api} />);
    await screen.findByTestId('workstation');
    act(() =>
      fake.pushAuthenticatorSetup({ issuer: 'CareShell', account: 'ana', secret: 'JBSWY3DP', uri: 'otpauth://totp/x' }),
    );
    expect(document.activeElement).toBe(screen.getByTestId('authenticator-code'));
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(fake.calls).toContain('cancel-authenticator');
  });
});

describe('the signed-in header', () => {
  it('shows "Locks in m:ss" only once less than the policy threshold is left', async () => {
    const display = { lockCountdownMs: 120_000 };
    const fake = fakeApi({ ...active, display, idleLockMsLeft: 300_000 });
    render(<App api={fake.api} />);
    await screen.findByTestId('workstation');
    expect(screen.queryByTestId('locks-in')).toBeNull();
    expect(screen.getByTestId('session-timer')).toBeTruthy();
    act(() => fake.push({ ...active, display, idleLockMsLeft: 95_000 }));
    expect(screen.getByTestId('locks-in').textContent).toBe('Locks in 1:35');
  });

  it('says when the password is needed again, not a "shift sign-in ends" that reads like the lock', async () => {
    const fake = fakeApi(active);
    render(<App api={fake.api} />);
    await screen.findByTestId('workstation');
    expect(screen.getByTestId('workstation').textContent).toContain('Password needed again in 1:00:00');
    expect(screen.getByTestId('workstation').textContent).not.toContain('Shift sign-in ends');
  });
});
