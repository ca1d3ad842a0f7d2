// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/App';
import { baseView, fakeApi, nurse } from './fake-api';

afterEach(cleanup);

describe('App', () => {
  it('swaps the lock screen for the workstation and back, unmounting the EHR pane on lock', async () => {
    const fake = fakeApi(baseView);
    render(<App api={fake.api} />);
    expect(await screen.findByText('Tap your badge to sign in')).toBeTruthy();
    expect(screen.queryByTestId('ehr-pane')).toBeNull();

    act(() =>
      fake.push({ ...baseView, screen: 'active', user: nurse, sessionElapsedMs: 0, lifetimeMsLeft: 3_600_000 }),
    );
    expect(screen.getByTestId('signed-in-user').textContent).toBe('Ana Lopez, RN');
    expect(screen.getByTestId('ehr-pane')).toBeTruthy();

    act(() => fake.push({ ...baseView, screen: 'locked', user: nurse, reverify: 'badge', graceMsLeft: 1_200_000 }));
    expect(screen.queryByTestId('ehr-pane')).toBeNull();
    expect(screen.getByTestId('locked-user').textContent).toBe('Ana Lopez, RN');
    expect(screen.getByText('Tap your badge to resume')).toBeTruthy();
    expect(screen.getByTestId('grace-countdown').textContent).toBe('Session kept for 20:00');
  });

  it('shows the countdown over the session and reports activity at once when the user stays', async () => {
    const fake = fakeApi({ ...baseView, screen: 'idle-warning', user: nurse, idleWarningMsLeft: 27_000 });
    render(<App api={fake.api} />);
    expect((await screen.findByTestId('idle-seconds')).textContent).toBe('0:27');
    expect(screen.getByTestId('ehr-pane')).toBeTruthy();
    fireEvent.click(screen.getByTestId('stay-signed-in'));
    expect(fake.calls.filter((c) => c === 'activity').length).toBeGreaterThanOrEqual(1);
  });

  it('throttles activity reports while working normally', async () => {
    const fake = fakeApi({ ...baseView, screen: 'active', user: nurse });
    render(<App api={fake.api} />);
    await screen.findByTestId('workstation');
    // The reporter listens from an effect, which may run after the workstation is in the DOM: type until it hears.
    await waitFor(() => {
      fireEvent.keyDown(window, { key: 'a' });
      expect(fake.calls).toContain('activity');
    });
    for (let i = 0; i < 20; i += 1) fireEvent.keyDown(window, { key: 'a' });
    expect(fake.calls.filter((c) => c === 'activity')).toHaveLength(1);
  });

  it('reports no activity from the lock screen', async () => {
    const fake = fakeApi(baseView);
    render(<App api={fake.api} />);
    await screen.findByTestId('lock-screen');
    fireEvent.keyDown(window, { key: 'a' });
    fireEvent.pointerDown(window);
    expect(fake.calls).not.toContain('activity');
  });

  it('says how many other sessions are kept, never whose', async () => {
    const fake = fakeApi({ ...baseView, suspendedCount: 2 });
    render(<App api={fake.api} />);
    expect((await screen.findByTestId('suspended-count')).textContent).toContain('2 other sessions are kept');
  });

  it('shows a banner when no reader works, with the policy fallback', async () => {
    const fake = fakeApi(baseView);
    render(<App api={fake.api} />);
    await screen.findByTestId('lock-screen');
    act(() =>
      fake.pushStatus({
        readers: [{ id: 'r1', description: 'Front desk reader', state: 'missing', message: 'Unplugged' }],
        fallback: 'Use your password.',
      }),
    );
    const banner = screen.getByTestId('reader-banner').textContent;
    expect(banner).toContain('The badge reader is not working.');
    expect(banner).toContain('For IT: Front desk reader: Unplugged.');
    expect(banner).toContain('Use your password.');
  });

  it('offers "Sign in with your password" as policy says: while no reader works, always, or never', async () => {
    const missing = { readers: [{ id: 'r1', description: 'Front desk reader', state: 'missing' as const }] };
    const fake = fakeApi({ ...baseView, withoutBadge: 'when-no-reader' });
    render(<App api={fake.api} />);
    await screen.findByTestId('lock-screen');
    expect(screen.queryByTestId('sign-in-with-password')).toBeNull(); // the fake's reader is ready
    act(() => fake.pushStatus(missing));
    fireEvent.click(screen.getByTestId('sign-in-with-password'));
    expect(fake.calls).toContain('sign-in-with-password');
    act(() => fake.push({ ...baseView, withoutBadge: 'never' }));
    expect(screen.queryByTestId('sign-in-with-password')).toBeNull();
    act(() => fake.push({ ...baseView, withoutBadge: 'always' }));
    act(() => fake.pushStatus({ readers: [{ id: 'r1', description: 'Front desk reader', state: 'ready' }] }));
    expect(screen.getByTestId('sign-in-with-password')).toBeTruthy();
    act(() => fake.push({ ...baseView, withoutBadge: 'always', pinPrompt: { canReset: false } }));
    expect(screen.queryByTestId('sign-in-with-password')).toBeNull(); // not beside a PIN pad already asking
  });

  it('keeps the workstation locked and shows the policy problem', async () => {
    const fake = fakeApi({
      ...baseView,
      screen: 'policy-error',
      notice: {
        level: 'error',
        id: 'policyProblems',
        params: { problems: 'session.idleTimeoutSeconds: must be at least 30 seconds' },
      },
    });
    render(<App api={fake.api} />);
    expect((await screen.findByTestId('policy-error')).textContent).toContain(
      'session.idleTimeoutSeconds: must be at least 30 seconds',
    );
    expect(screen.queryByTestId('ehr-pane')).toBeNull();
  });
});

describe('activity', () => {
  it('a pointer move that did not move (the page changing under a resting pointer) is not a person', async () => {
    const fake = fakeApi({ ...baseView, screen: 'idle-warning', user: nurse, idleWarningMsLeft: 27_000 });
    render(<App api={fake.api} />);
    await screen.findByTestId('idle-warning');
    const reports = () => fake.calls.filter((c) => c === 'activity').length;
    // Moved until the reporter (attached by an effect) hears it, so the still pointer below is heard too.
    await waitFor(() => {
      fireEvent.pointerMove(window, { movementX: 3, movementY: 0 });
      expect(reports()).toBeGreaterThan(0);
    });
    const heard = reports();
    fireEvent.pointerMove(window, { movementX: 0, movementY: 0 });
    expect(reports()).toBe(heard);
    fireEvent.pointerMove(window, { movementX: 3, movementY: 0 });
    expect(reports()).toBe(heard + 1);
  });
});
