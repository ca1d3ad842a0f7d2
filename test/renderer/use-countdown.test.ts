import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../renderer/hooks/use-countdown';

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [999, '0:01'],
    [4_000, '0:04'],
    [75_000, '1:15'],
    [3_600_000, '1:00:00'],
    [7_500_000, '2:05:00'],
  ])('%d ms -> %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
