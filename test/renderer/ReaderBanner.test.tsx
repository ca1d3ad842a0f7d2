// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReaderStatus } from '../../preload/contract';
import { App } from '../../renderer/App';
import { ReaderBanner } from '../../renderer/components/ReaderBanner';
import { baseView, fakeApi, nurse } from './fake-api';

afterEach(cleanup);

/*
 * The statuses below have the shape the reader manager publishes (test/native/manager/reader-manager.test.ts
 * checks that against readerStatusSchema): a failed reader is state 'error' with a message for IT.
 */
describe('ReaderBanner', () => {
  it('says in plain words what it means, then the reader manager message for IT', () => {
    const status: ReaderStatus = {
      readers: [
        { id: 'desk', description: 'Desk reader', state: 'ready' },
        {
          id: 'tap',
          description: 'Contactless reader',
          state: 'error',
          message:
            'The PC/SC service reported a problem (SCardEstablishContext: service not available). Check that the PC/SC ' +
            'service (pcscd / Smart Card) is running; CareShell keeps trying to reconnect.',
        },
      ],
      fallback: 'Sign in with your network password.',
    };
    render(<ReaderBanner status={status} />);
    const banner = screen.getByTestId('reader-banner').textContent ?? '';
    expect(banner.startsWith('One badge reader is not working; the others still work.')).toBe(true);
    expect(banner).toMatch(
      /For IT: Contactless reader: The PC\/SC service reported a problem \(SCardEstablishContext: service not available\)\..*keeps trying to reconnect\./,
    );
    expect(banner).not.toMatch(/\.\./);
    expect(banner).not.toContain('Sign in with your network password.'); // another reader still works
  });

  it('ends each reader with one full stop whether or not its message has one', () => {
    render(
      <ReaderBanner
        status={{
          readers: [
            {
              id: 'a',
              description: 'Desk reader',
              state: 'error',
              message: 'Permission denied; install the udev rule.',
            },
            { id: 'b', description: 'Cart reader', state: 'missing' },
          ],
          fallback: 'Use your password.',
        }}
      />,
    );
    expect(screen.getByTestId('reader-banner').textContent).toBe(
      'The badge reader is not working. Use your password. For IT: Desk reader: Permission denied; install the udev rule. Cart reader: not connected.',
    );
  });

  it('never covers the signed-in header: a reader problem is a chip inside it, and no banner is drawn', async () => {
    const fake = fakeApi({ ...baseView, screen: 'active', user: nurse, sessionElapsedMs: 0 });
    render(<App api={fake.api} />);
    await screen.findByTestId('workstation');
    act(() => fake.pushStatus({ readers: [{ id: 'r', description: 'HID reader (demo)', state: 'missing' }] }));
    expect(screen.queryByTestId('reader-banner')).toBeNull();
    const chip = screen.getByTestId('reader-chip');
    expect(chip.closest('header')).not.toBeNull();
    expect(chip.textContent).toBe('Badge reader not working');
    expect(screen.getByTestId('lock-now')).toBeTruthy();
  });

  it('on the lock screen the banner is in the page flow, before the screen, not fixed over it', async () => {
    const fake = fakeApi(baseView);
    const { container } = render(<App api={fake.api} />);
    await screen.findByTestId('lock-screen');
    act(() => fake.pushStatus({ readers: [] }));
    const banner = screen.getByTestId('reader-banner');
    expect(container.firstElementChild).toBe(banner);
    expect(banner.nextElementSibling).toBe(screen.getByTestId('lock-screen'));
  });
});
