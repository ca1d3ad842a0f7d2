// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/App';
import { baseView, fakeApi } from './fake-api';

afterEach(cleanup);

async function typePin(pin: string): Promise<void> {
  for (const key of pin) fireEvent.keyDown(window, { key });
  await act(async () => fireEvent.keyDown(window, { key: 'Enter' }));
}

describe('enrollment on the lock screen', () => {
  it('during the sign-in: says the badge is not enrolled yet, offers Cancel, and no PIN pad', async () => {
    const fake = fakeApi({
      ...baseView,
      enrollment: { purpose: 'enroll', step: 'sign-in' },
      notice: { level: 'info', id: 'enrollBadge' },
    });
    render(<App api={fake.api} />);
    await screen.findByTestId('enrollment');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('This badge is not enrolled yet');
    expect(screen.queryByText('Tap your badge to sign in')).toBeNull();
    expect(screen.queryByTestId('pin-pad')).toBeNull();
    expect(screen.getByTestId('notice').textContent).toBe(
      'Sign in with your hospital account in the sign-in window to enroll this badge.',
    );
    await act(async () => fireEvent.click(screen.getByTestId('show-sign-in')));
    expect(fake.calls.filter((c) => c === 'show-sign-in')).toHaveLength(1);
    await act(async () => fireEvent.click(screen.getByTestId('enrollment-cancel')));
    expect(fake.calls).toContain('cancel-enrollment');
  });

  it('choosing the PIN: greets the signed-in clinician and sends the confirmed PIN on the enrollment channel', async () => {
    const fake = fakeApi({
      ...baseView,
      enrollment: { purpose: 'enroll', step: 'choose-pin', displayName: 'Eve Martin, RN' },
    });
    render(<App api={fake.api} />);
    await screen.findByTestId('pin-pad');
    expect(screen.getByTestId('enrolling-user').textContent).toBe('Eve Martin, RN');
    // Signed in already: no sign-in window to bring back.
    expect(screen.queryByTestId('show-sign-in')).toBeNull();
    await typePin('2580');
    await typePin('2580');
    expect(fake.chosenPins).toEqual(['2580']);
    expect(fake.pins).toEqual([]);
  });

  it('a PIN reset is titled as such', async () => {
    const fake = fakeApi({
      ...baseView,
      screen: 'locked',
      user: { displayName: 'Ana', roles: [] },
      enrollment: { purpose: 'pin-reset', step: 'sign-in', displayName: 'Ana' },
    });
    render(<App api={fake.api} />);
    await screen.findByTestId('enrollment');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Reset your PIN');
    expect(screen.queryByTestId('locked-user')).toBeNull();
  });
});
