import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../common/manual-clock.js';

describe('ManualClock', () => {
  it('fires due timers in due order and none early', () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    clock.setTimer(300, () => fired.push('c'));
    clock.setTimer(100, () => fired.push('a'));
    clock.setTimer(200, () => fired.push('b'));
    clock.advance(150);
    expect(fired).toEqual(['a']);
    clock.advance(200);
    expect(fired).toEqual(['a', 'b', 'c']);
    expect(clock.monotonicMs()).toBe(350);
  });

  it('fires timers scheduled by a firing timer when they fall inside the same advance', () => {
    const clock = new ManualClock();
    const times: number[] = [];
    clock.setTimer(100, () => {
      times.push(clock.monotonicMs());
      clock.setTimer(50, () => times.push(clock.monotonicMs()));
    });
    clock.advance(1000);
    expect(times).toEqual([100, 150]);
  });

  it('cancels timers and keeps monotonic time when the wall clock jumps', () => {
    const clock = new ManualClock();
    let fired = false;
    const cancel = clock.setTimer(10, () => (fired = true));
    cancel();
    clock.jumpWallClock(-3_600_000);
    clock.advance(20);
    expect(fired).toBe(false);
    expect(clock.monotonicMs()).toBe(20);
    expect(clock.pendingTimers()).toBe(0);
  });
});
