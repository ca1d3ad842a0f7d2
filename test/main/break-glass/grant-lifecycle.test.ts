import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/manual-clock.js';
import { armGrantTimers, endGrantOnServer } from '../../../main/break-glass/grant-lifecycle.js';

describe('armGrantTimers', () => {
  it('warns 10 and 2 minutes before the expiry, then expires; a cancel stops what is left', () => {
    const clock = new ManualClock();
    const seen: string[] = [];
    const cancels = armGrantTimers(clock, clock.monotonicMs() + 15 * 60_000, {
      warn: (minutes) => seen.push(`warn ${minutes}`),
      expire: () => seen.push('expire'),
    });
    clock.advance(5 * 60_000);
    expect(seen).toEqual(['warn 10']);
    clock.advance(8 * 60_000);
    expect(seen).toEqual(['warn 10', 'warn 2']);
    for (const cancel of cancels) cancel();
    clock.advance(2 * 60_000);
    expect(seen).toEqual(['warn 10', 'warn 2']);
  });

  it('gives no warning the grant is already past', () => {
    const clock = new ManualClock();
    const seen: string[] = [];
    armGrantTimers(clock, clock.monotonicMs() + 5 * 60_000, {
      warn: (minutes) => seen.push(`warn ${minutes}`),
      expire: () => seen.push('expire'),
    });
    clock.advance(5 * 60_000);
    expect(seen).toEqual(['warn 2', 'expire']);
  });
});

describe('endGrantOnServer', () => {
  const refusal = new Error('token expired');
  it('tries the grant’s own token, and a fresh one only when the server refused it', async () => {
    const calls: string[] = [];
    await endGrantOnServer({
      id: 'g-1',
      token: 'old',
      end: async (token) => {
        calls.push(token);
        if (token === 'old') throw refusal;
      },
      refused: (error) => error === refusal,
      freshToken: async () => 'fresh',
    });
    expect(calls).toEqual(['old', 'fresh']);
  });

  it('rejects on any other failure, or when no fresh token can be had', async () => {
    const unreachable = new Error('ECONNREFUSED');
    const grant = (error: Error, fresh: string | undefined) =>
      endGrantOnServer({
        id: 'g-1',
        token: 'old',
        end: async (token) => {
          if (token === 'old') throw error;
        },
        refused: (e) => e === refusal,
        freshToken: async () => fresh,
      });
    await expect(grant(unreachable, 'fresh')).rejects.toBe(unreachable);
    await expect(grant(refusal, undefined)).rejects.toBe(refusal);
  });
});
