// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/App';
import { baseView, fakeApi, nurse } from './fake-api';

afterEach(cleanup);

const locked = { ...baseView, screen: 'locked' as const, user: nurse, reverify: 'badge' as const, graceMsLeft: 60_000 };

describe('the lock screen says one current thing, about the person at the screen', () => {
  it('during a switch the heading names whose PIN pad it is, not the owner of the locked session', async () => {
    const fake = fakeApi({ ...locked, pinPrompt: { displayName: 'Dr Ben Okafor', canReset: false } });
    render(<App api={fake.api} />);
    await screen.findByTestId('pin-pad');
    const heading = screen.getByRole('heading', { level: 1 }).textContent;
    expect(heading).toBe('Dr Ben Okafor, enter your PIN');
    expect(heading).not.toContain(nurse.displayName);
    expect(screen.getByTestId('still-locked').textContent).toBe(`${nurse.displayName}'s session stays locked.`);
  });

  it('the owner unlocking their own session is not told their session stays locked', async () => {
    const fake = fakeApi({ ...locked, pinPrompt: { displayName: nurse.displayName, canReset: true } });
    render(<App api={fake.api} />);
    await screen.findByTestId('pin-pad');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(`${nurse.displayName}, enter your PIN`);
    expect(screen.queryByTestId('still-locked')).toBeNull();
  });

  it('one notice area: a wrong PIN is said once, and the pad own message replaces it until main answers again', async () => {
    const fake = fakeApi({
      ...locked,
      pinPrompt: { displayName: nurse.displayName, attemptsLeft: 2, canReset: false },
      notice: { level: 'warning', id: 'wrongPin', params: { count: 2, retryInMs: 0 } },
    });
    render(<App api={fake.api} />);
    await screen.findByTestId('pin-pad');
    expect(screen.getAllByTestId('notice')).toHaveLength(1);
    expect(screen.getByTestId('notice').textContent).toBe('Wrong PIN. 2 attempts left before your PIN is locked.');
    expect(document.body.textContent?.match(/attempts? left|tries left/g)).toHaveLength(1);
    fireEvent.keyDown(window, { key: '1' });
    await act(async () => fireEvent.keyDown(window, { key: 'Enter' }));
    expect(screen.getAllByTestId('notice')).toHaveLength(1);
    expect(screen.getByTestId('notice').textContent).toBe('Enter at least 4 digits.');
    act(() =>
      fake.push({
        ...locked,
        pinPrompt: { displayName: nurse.displayName, attemptsLeft: 1, canReset: false },
        notice: { level: 'warning', id: 'wrongPin', params: { count: 1, retryInMs: 0 } },
      }),
    );
    expect(screen.getByTestId('notice').textContent).toBe('Wrong PIN. 1 attempt left before your PIN is locked.');
  });

  it('a retry wait counts down instead of a fixed "Wait 1 s"', async () => {
    const fake = fakeApi({
      ...locked,
      pinPrompt: { canReset: false },
      notice: { level: 'warning', id: 'wrongPin', params: { count: 3, retryInMs: 4_000 } },
    });
    // The countdown ticks on an interval and reads performance.now(): both driven by hand here.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    try {
      render(<App api={fake.api} />);
      await screen.findByTestId('pin-pad');
      // The ticker's interval is set by an effect, which may run after the PIN pad is in the DOM: flush it first.
      await act(async () => {});
      expect(screen.getByTestId('notice').textContent).toMatch(/Wait 4 seconds before trying again\.$/);
      act(() => vi.advanceTimersByTime(2_500));
      expect(screen.getByTestId('notice').textContent).toMatch(/Wait 2 seconds before trying again\.$/);
      act(() => vi.advanceTimersByTime(2_000));
      expect(screen.getByTestId('notice').textContent).toBe('Wrong PIN. 3 attempts left before your PIN is locked.');
    } finally {
      vi.useRealTimers();
    }
  });

  it('the policy-error screen tells the clinician what to do, and IT what is wrong', async () => {
    const fake = fakeApi({
      ...baseView,
      screen: 'policy-error',
      notice: { level: 'error', id: 'policyProblems', params: { problems: 'session.graceMinutes: too large' } },
    });
    render(<App api={fake.api} />);
    const screenText = (await screen.findByTestId('policy-error')).textContent ?? '';
    expect(screenText).toContain('Use another workstation, and call IT');
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('For IT');
    expect(screenText).toContain('session.graceMinutes: too large');
  });

  it('a tap on the policy-error screen gets the "Badge read" cue, with the notice still saying what to do', async () => {
    const fake = fakeApi({
      ...baseView,
      screen: 'policy-error',
      notice: { level: 'error', id: 'policyProblems', params: { problems: 'session.graceMinutes: too large' } },
    });
    render(<App api={fake.api} />);
    await screen.findByTestId('policy-error');
    act(() => fake.pushBadgeRead());
    expect(screen.getByTestId('badge-read').textContent).toBe('Badge read');
    expect(screen.getByTestId('policy-error').textContent).toContain('Use another workstation, and call IT');
  });

  it('speaks the preferred language, on the screen and in the notices', async () => {
    const fake = fakeApi(
      { ...baseView, notice: { level: 'error', id: 'badgeNotEnrolled' } },
      { values: { language: 'es', soundCues: false, pinPadLayout: 'phone' } },
    );
    render(<App api={fake.api} />);
    await screen.findByText('Acerque su tarjeta para iniciar sesión');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Acerque su tarjeta para iniciar sesión');
    expect(screen.getByTestId('notice').textContent).toMatch(/^Esta tarjeta no está registrada/);
    expect(document.documentElement.lang).toBe('es');
  });
});

describe('a badge tap is confirmed at once', () => {
  it('shows "Badge read" for a moment on every tap, and a refused tap then says why', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const fake = fakeApi(baseView);
      render(<App api={fake.api} />);
      await act(async () => undefined);
      const cue = screen.getByTestId('badge-read');
      expect(cue.textContent).toBe('');
      act(() => fake.pushBadgeRead());
      expect(cue.textContent).toBe('Badge read');
      expect(cue.getAttribute('role')).toBe('status');
      act(() => fake.push({ ...baseView, notice: { level: 'error', id: 'badgeNotEnrolled' } }));
      expect(screen.getByTestId('notice').textContent).toMatch(/^This badge is not enrolled on CareShell/);
      act(() => vi.advanceTimersByTime(1_500));
      expect(cue.textContent).toBe('');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('no dead ends while a sign-in is awaited', () => {
  it('"Sign in with your password" then shows it is waiting, with Cancel, and no second password button', async () => {
    const fake = fakeApi({ ...baseView, withoutBadge: 'always' });
    render(<App api={fake.api} />);
    fireEvent.click(await screen.findByTestId('sign-in-with-password'));
    act(() =>
      fake.push({
        ...baseView,
        withoutBadge: 'always',
        signingIn: true,
        notice: { level: 'info', id: 'signInWithPassword' },
      }),
    );
    expect(screen.getByTestId('waiting-for-sign-in').textContent).toContain('Waiting for the sign-in window');
    expect(screen.queryByTestId('sign-in-with-password')).toBeNull();
    fireEvent.click(screen.getByTestId('sign-in-cancel'));
    expect(fake.calls).toContain('cancel-sign-in');
  });

  it('while waiting (a PIN lockout), "Show the sign-in window" asks main to bring it to the front', async () => {
    const fake = fakeApi({ ...locked, signingIn: true, notice: { level: 'warning', id: 'pinLockedOut' } });
    render(<App api={fake.api} />);
    const show = await screen.findByTestId('show-sign-in');
    await act(async () => fireEvent.click(show));
    expect(screen.getByTestId('show-sign-in').textContent).toBe('Show the sign-in window');
    expect(fake.calls.filter((c) => c === 'show-sign-in')).toHaveLength(1);
  });

  it('when main cannot bring it forward, the notice area says where the sign-in page is', async () => {
    const fake = fakeApi({ ...baseView, signingIn: true, notice: { level: 'info', id: 'signInWithPassword' } });
    fake.answerShowSignIn({ ok: false, message: 'The sign-in page is open in another tab at https://idp.test/a' });
    render(<App api={fake.api} />);
    const show = await screen.findByTestId('show-sign-in');
    await act(async () => fireEvent.click(show));
    expect(screen.getByTestId('notice').textContent).toBe(
      'The sign-in page is open in another tab at https://idp.test/a',
    );
  });

  it('offers no "Show the sign-in window" when no sign-in is awaited', async () => {
    const fake = fakeApi({ ...locked, withoutBadge: 'always' });
    render(<App api={fake.api} />);
    await screen.findByTestId('sign-in-with-password');
    expect(screen.queryByTestId('show-sign-in')).toBeNull();
    expect(screen.queryByTestId('waiting-for-sign-in')).toBeNull();
  });
});
