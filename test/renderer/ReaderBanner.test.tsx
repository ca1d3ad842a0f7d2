// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReaderStatus } from '../../preload/contract';
import { ReaderBanner } from '../../renderer/components/ReaderBanner';

afterEach(cleanup);

/*
 * The statuses below have the shape the reader manager publishes (test/native/manager/reader-manager.test.ts
 * checks that against readerStatusSchema): a failed reader is state 'error' with a message for IT.
 */
describe('ReaderBanner', () => {
  it('shows a reader whose service failed, with the message the reader manager gives IT', () => {
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
    expect(banner).toContain('A badge reader needs attention.');
    expect(banner).toMatch(
      /Contactless reader: The PC\/SC service reported a problem \(SCardEstablishContext: service not available\)\..*keeps trying to reconnect\./,
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
    const banner = screen.getByTestId('reader-banner').textContent ?? '';
    expect(banner).toBe(
      'No badge reader is working. Desk reader: Permission denied; install the udev rule. Cart reader: not connected. Use your password.',
    );
  });
});
