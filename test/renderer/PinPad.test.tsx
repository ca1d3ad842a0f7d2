// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PinPad } from '../../renderer/components/PinPad';

afterEach(cleanup);

const quiet = () => {};

describe('PinPad', () => {
  it('takes digits by touch and submits them, then clears', async () => {
    const onSubmit = vi.fn(async () => ({ ok: true }));
    render(<PinPad onSubmit={onSubmit} onCancel={quiet} onMessage={quiet} />);
    for (const d of ['4', '8', '2', '6']) fireEvent.click(screen.getByRole('button', { name: d }));
    expect(screen.getByTestId('pin-dots').textContent).toBe('••••');
    await act(async () => fireEvent.click(screen.getByTestId('pin-submit')));
    expect(onSubmit).toHaveBeenCalledWith('4826');
    expect(screen.getByTestId('pin-dots').textContent).toBe('Enter PIN');
  });

  it('works from the keyboard: digits, Backspace, Enter, Escape; says nothing itself about main answer', async () => {
    const onSubmit = vi.fn(async () => ({ ok: false, message: 'Wrong PIN.' }));
    const onCancel = vi.fn();
    const onMessage = vi.fn();
    render(<PinPad onSubmit={onSubmit} onCancel={onCancel} onMessage={onMessage} />);
    for (const key of ['7', '3', '9', '9', 'Backspace', '1']) fireEvent.keyDown(window, { key });
    await act(async () => fireEvent.keyDown(window, { key: 'Enter' }));
    expect(onSubmit).toHaveBeenCalledWith('7391');
    // The wrong PIN is the screen's notice (from main), not a second message on the pad.
    expect(onMessage.mock.calls.filter(([text]) => text !== undefined)).toEqual([]);
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(onCancel).toHaveBeenCalled();
  });

  it('takes focus when it appears, so typing and screen readers start on it', () => {
    render(<PinPad onSubmit={async () => ({ ok: true })} onCancel={quiet} onMessage={quiet} />);
    expect(document.activeElement).toBe(screen.getByTestId('pin-pad'));
  });

  it('Enter on a focused Cancel cancels and never submits the PIN', async () => {
    const onSubmit = vi.fn(async () => ({ ok: true }));
    const onCancel = vi.fn();
    render(<PinPad onSubmit={onSubmit} onCancel={onCancel} onMessage={quiet} />);
    for (const key of ['4', '8', '2', '6']) fireEvent.keyDown(window, { key });
    const cancel = screen.getByTestId('pin-cancel');
    cancel.focus();
    await act(async () => fireEvent.keyDown(cancel, { key: 'Enter' }));
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('refuses a PIN shorter than four digits without asking main, through the screen notice', async () => {
    const onSubmit = vi.fn(async () => ({ ok: true }));
    const onMessage = vi.fn();
    render(<PinPad onSubmit={onSubmit} onCancel={quiet} onMessage={onMessage} />);
    fireEvent.click(screen.getByRole('button', { name: '1' }));
    await act(async () => fireEvent.click(screen.getByTestId('pin-submit')));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(onMessage).toHaveBeenLastCalledWith('Enter at least 4 digits.');
    fireEvent.click(screen.getByRole('button', { name: '2' }));
    expect(onMessage).toHaveBeenLastCalledWith(undefined); // typing again clears it
  });

  it('stops at twelve digits', () => {
    render(<PinPad onSubmit={async () => ({ ok: true })} onCancel={quiet} onMessage={quiet} />);
    for (let i = 0; i < 15; i += 1) fireEvent.keyDown(window, { key: '5' });
    expect(screen.getByTestId('pin-dots').textContent).toBe('•'.repeat(12));
  });
});

async function typePin(pin: string): Promise<void> {
  for (const key of pin) fireEvent.keyDown(window, { key });
  await act(async () => fireEvent.keyDown(window, { key: 'Enter' }));
}

describe('PinPad in choose mode', () => {
  it('asks twice and sends the PIN only when both entries match', async () => {
    const onSubmit = vi.fn(async () => ({ ok: true }));
    const onMessage = vi.fn();
    render(<PinPad mode="choose" onSubmit={onSubmit} onCancel={quiet} onMessage={onMessage} />);
    expect(screen.getByTestId('pin-dots').textContent).toBe('Choose a PIN');
    expect(screen.getByTestId('pin-submit').textContent).toBe('Next');
    await typePin('2580');
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByTestId('pin-dots').textContent).toBe('Enter the same PIN again');
    expect(screen.getByTestId('pin-submit').textContent).toBe('Set PIN');
    await typePin('2851');
    expect(onSubmit).not.toHaveBeenCalled();
    expect(onMessage).toHaveBeenLastCalledWith('The two PINs did not match. Choose a PIN again.');
    expect(screen.getByTestId('pin-dots').textContent).toBe('Choose a PIN');
    await typePin('2580');
    await typePin('2580');
    expect(onSubmit).toHaveBeenCalledExactlyOnceWith('2580');
  });

  it('offers "Forgot your PIN?" only when a reset is possible, and ignores Enter while a PIN is being checked', async () => {
    let answer: (r: { ok: boolean }) => void = () => {};
    const onSubmit = vi.fn(() => new Promise<{ ok: boolean }>((resolve) => (answer = resolve)));
    const onForgot = vi.fn();
    const onMessage = vi.fn();
    const { rerender } = render(<PinPad onSubmit={onSubmit} onCancel={quiet} onMessage={onMessage} />);
    expect(screen.queryByTestId('pin-forgot')).toBeNull();
    rerender(<PinPad onSubmit={onSubmit} onCancel={quiet} onForgot={onForgot} onMessage={onMessage} />);
    fireEvent.click(screen.getByTestId('pin-forgot'));
    expect(onForgot).toHaveBeenCalledTimes(1);
    (document.activeElement as HTMLElement).blur();
    for (const key of ['4', '8', '2', '6']) fireEvent.keyDown(window, { key });
    await act(async () => fireEvent.keyDown(window, { key: 'Enter' }));
    await act(async () => fireEvent.keyDown(window, { key: 'Enter' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onMessage.mock.calls.filter(([text]) => text !== undefined)).toEqual([]); // no "at least 4 digits"
    await act(async () => answer({ ok: true }));
  });
});
