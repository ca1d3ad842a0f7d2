// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/App';
import { baseView, fakeApi, nurse } from './fake-api';

afterEach(cleanup);

const active = { ...baseView, screen: 'active' as const, user: nurse, sessionElapsedMs: 0, lifetimeMsLeft: 3_600_000 };

describe('step-up over the signed-in view', () => {
  it('offers an authenticator code or a sign-in when policy accepts both, and sends the code typed', async () => {
    const fake = fakeApi({ ...active, stepUp: { action: 'break-glass', methods: ['idp', 'totp'] } });
    render(<App api={fake.api} />);
    expect((await screen.findByTestId('step-up')).textContent).toContain('Confirm it is you to use emergency access');
    expect(screen.getByTestId('ehr-pane')).toBeTruthy(); // the session stays under the dialog
    const input = screen.getByTestId('step-up-code') as HTMLInputElement;
    fireEvent.change(input, { target: { value: '12a34' } });
    expect(input.value).toBe('1234');
    expect((screen.getByTestId('step-up-submit') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(input, { target: { value: '123456' } });
    await act(async () => fireEvent.click(screen.getByTestId('step-up-submit')));
    expect(fake.proofs).toEqual([{ method: 'totp', code: '123456' }]);
    fireEvent.click(screen.getByTestId('step-up-sign-in'));
    expect(fake.proofs.at(-1)).toEqual({ method: 'idp' });
    fireEvent.click(screen.getByTestId('step-up-cancel'));
    expect(fake.calls).toContain('cancel-step-up');
  });

  it('offers the PIN pad first where policy accepts the PIN, sends the PIN typed, and switches to a code on request', async () => {
    const fake = fakeApi({ ...active, stepUp: { action: 'break-glass', methods: ['pin', 'totp', 'idp'] } });
    render(<App api={fake.api} />);
    await screen.findByTestId('step-up');
    expect(screen.getByTestId('step-up').textContent).toContain('Type your PIN');
    expect(screen.queryByTestId('step-up-code')).toBeNull(); // the pad reads the keyboard: never beside a code field
    expect(screen.queryByTestId('step-up-cancel')).toBeNull(); // the pad has its own Cancel
    expect(screen.getByTestId('pin-submit').textContent).toBe('Confirm');
    // The dialog focuses the pad, not its first key, so Enter submits rather than typing a 1.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('pin-pad')));
    for (const key of ['1', '2', '3']) fireEvent.keyDown(window, { key });
    await act(async () => fireEvent.click(screen.getByTestId('pin-submit')));
    expect(fake.proofs).toEqual([]); // too short: the pad says so and sends nothing
    expect(screen.getByTestId('notice').textContent).toMatch(/at least 4/);
    fireEvent.keyDown(window, { key: '4' });
    await act(async () => fireEvent.click(screen.getByTestId('pin-submit')));
    expect(fake.proofs).toEqual([{ method: 'pin', pin: '1234' }]);
    fireEvent.click(screen.getByTestId('step-up-use-totp'));
    expect(screen.queryByTestId('pin-pad')).toBeNull();
    fireEvent.change(screen.getByTestId('step-up-code'), { target: { value: '654321' } });
    await act(async () => fireEvent.click(screen.getByTestId('step-up-submit')));
    expect(fake.proofs.at(-1)).toEqual({ method: 'totp', code: '654321' });
    fireEvent.click(screen.getByTestId('step-up-use-pin'));
    fireEvent.click(screen.getByTestId('pin-cancel'));
    expect(fake.calls).toContain('cancel-step-up');
  });

  it('while the provider sign-in runs, says where to look, and offers only Cancel', async () => {
    const fake = fakeApi({ ...active, stepUp: { action: 'export', methods: ['idp'], proving: 'idp' } });
    render(<App api={fake.api} />);
    expect((await screen.findByTestId('step-up')).textContent).toContain('Sign in again in the sign-in window');
    expect(screen.queryByTestId('step-up-code')).toBeNull();
    expect(screen.getByTestId('step-up-cancel')).toBeTruthy();
  });

  it('the header asks for the authenticator-setup step-up; the new secret shows as a QR code and text until confirmed', async () => {
    const fake = fakeApi(active);
    render(<App api={fake.api} />);
    fireEvent.click(await screen.findByTestId('setup-authenticator'));
    expect(fake.calls).toContain('step-up:authenticator-setup');
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    act(() =>
      fake.pushAuthenticatorSetup({
        issuer: 'CareShell',
        account: 'ana',
        secret,
        uri: `otpauth://totp/CareShell:ana?secret=${secret}&issuer=CareShell`,
      }),
    );
    expect(screen.getByTestId('qr-code').querySelectorAll('rect').length).toBeGreaterThan(100);
    expect(screen.getByTestId('authenticator-secret').textContent).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    fake.answerPin({ ok: false, message: 'That code is not right.' });
    fireEvent.change(screen.getByTestId('authenticator-code'), { target: { value: '654321' } });
    await act(async () => fireEvent.click(screen.getByTestId('authenticator-submit')));
    expect(fake.codes).toEqual(['654321']);
    expect(screen.getByRole('alert').textContent).toBe('That code is not right.');
    act(() => fake.pushAuthenticatorSetup(null));
    expect(screen.queryByTestId('authenticator-setup')).toBeNull();
  });

  it('never shows a setup secret on the lock screen', async () => {
    const fake = fakeApi({ ...baseView, screen: 'locked', user: nurse, reverify: 'badge', graceMsLeft: 60_000 });
    render(<App api={fake.api} />);
    await screen.findByTestId('lock-screen');
    act(() =>
      fake.pushAuthenticatorSetup({ issuer: 'CareShell', account: 'ana', secret: 'JBSWY3DP', uri: 'otpauth://totp/x' }),
    );
    expect(screen.queryByTestId('authenticator-setup')).toBeNull();
  });
});
