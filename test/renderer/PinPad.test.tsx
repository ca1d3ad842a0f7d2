// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PinPad } from '../../renderer/components/PinPad';

afterEach(cleanup);

describe('PinPad', () => {
  it('takes digits by touch and submits them, then clears', async () => {
    const onSubmit = vi.fn(async () => ({ ok: true }));
    render(<PinPad onSubmit={onSubmit} onCancel={() => {}} />);
    for (const d of ['4', '8', '2', '6']) fireEvent.click(screen.getByRole('button', { name: d }));
    expect(screen.getByTestId('pin-dots').textContent).toBe('••••');
    await act(async () => fireEvent.click(screen.getByTestId('pin-submit')));
    expect(onSubmit).toHaveBeenCalledWith('4826');
    expect(screen.getByTestId('pin-dots').textContent).toBe('Enter PIN');
  });

  it('works from the keyboard: digits, Backspace, Enter, Escape', async () => {
    const onSubmit = vi.fn(async () => ({ ok: false, message: 'Wrong PIN. 2 tries left.' }));
    const onCancel = vi.fn();
    render(<PinPad onSubmit={onSubmit} onCancel={onCancel} attemptsLeft={2} />);
    for (const key of ['7', '3', '9', '9', 'Backspace', '1']) fireEvent.keyDown(window, { key });
    await act(async () => fireEvent.keyDown(window, { key: 'Enter' }));
    expect(onSubmit).toHaveBeenCalledWith('7391');
    expect(screen.getByRole('alert').textContent).toBe('Wrong PIN. 2 tries left.');
    expect(screen.getByTestId('pin-attempts').textContent).toContain('2 tries left');
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(onCancel).toHaveBeenCalled();
  });

  it('refuses a PIN shorter than four digits without asking main', async () => {
    const onSubmit = vi.fn(async () => ({ ok: true }));
    render(<PinPad onSubmit={onSubmit} onCancel={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: '1' }));
    await act(async () => fireEvent.click(screen.getByTestId('pin-submit')));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toBe('Enter at least 4 digits.');
  });

  it('stops at twelve digits', () => {
    render(<PinPad onSubmit={async () => ({ ok: true })} onCancel={() => {}} />);
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
    render(<PinPad mode="choose" onSubmit={onSubmit} onCancel={() => {}} />);
    expect(screen.getByTestId('pin-dots').textContent).toBe('Choose a PIN');
    expect(screen.getByTestId('pin-submit').textContent).toBe('Next');
    await typePin('2580');
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByTestId('pin-dots').textContent).toBe('Enter the same PIN again');
    expect(screen.getByTestId('pin-submit').textContent).toBe('Set PIN');
    await typePin('2851');
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toBe('The two PINs did not match. Choose a PIN again.');
    expect(screen.getByTestId('pin-dots').textContent).toBe('Choose a PIN');
    await typePin('2580');
    await typePin('2580');
    expect(onSubmit).toHaveBeenCalledExactlyOnceWith('2580');
  });

  it('starts over after main refuses the PIN, showing why', async () => {
    const onSubmit = vi.fn(async () => ({ ok: false, message: 'That PIN is too easy to guess.' }));
    render(<PinPad mode="choose" onSubmit={onSubmit} onCancel={() => {}} />);
    await typePin('1111');
    await typePin('1111');
    expect(screen.getByRole('alert').textContent).toBe('That PIN is too easy to guess.');
    expect(screen.getByTestId('pin-dots').textContent).toBe('Choose a PIN');
  });

  it('offers "Forgot your PIN?" only when a reset is possible, and ignores Enter while a PIN is being checked', async () => {
    let answer: (r: { ok: boolean }) => void = () => {};
    const onSubmit = vi.fn(() => new Promise<{ ok: boolean }>((resolve) => (answer = resolve)));
    const onForgot = vi.fn();
    const { rerender } = render(<PinPad onSubmit={onSubmit} onCancel={() => {}} />);
    expect(screen.queryByTestId('pin-forgot')).toBeNull();
    rerender(<PinPad onSubmit={onSubmit} onCancel={() => {}} onForgot={onForgot} />);
    fireEvent.click(screen.getByTestId('pin-forgot'));
    expect(onForgot).toHaveBeenCalledTimes(1);
    for (const key of ['4', '8', '2', '6']) fireEvent.keyDown(window, { key });
    await act(async () => fireEvent.keyDown(window, { key: 'Enter' }));
    await act(async () => fireEvent.keyDown(window, { key: 'Enter' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('alert')).toBeNull(); // no "Enter at least 4 digits" while busy
    await act(async () => answer({ ok: true }));
  });
});
