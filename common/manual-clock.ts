import type { Clock } from './clock.js';

/**
 * A clock that moves only when told to: unit tests, property tests and the harness's test mode use it
 * so that timeouts are exercised exactly and instantly instead of by sleeping.
 */
export class ManualClock implements Clock {
  private nowMs = 0;
  private wallOffsetMs: number;
  private nextId = 0;
  private readonly timers = new Map<number, { dueMs: number; fire: () => void }>();

  constructor(wallStart = new Date('2026-01-01T08:00:00Z')) {
    this.wallOffsetMs = wallStart.getTime();
  }

  monotonicMs(): number {
    return this.nowMs;
  }

  wallTime(): Date {
    return new Date(this.wallOffsetMs + this.nowMs);
  }

  setTimer(delayMs: number, fire: () => void): () => void {
    const id = this.nextId++;
    this.timers.set(id, { dueMs: this.nowMs + Math.max(0, delayMs), fire });
    return () => this.timers.delete(id);
  }

  /** Moves time forward, firing every timer that falls due, in due order (ties in creation order). */
  advance(ms: number): void {
    const target = this.nowMs + ms;
    for (;;) {
      let nextId: number | undefined;
      let nextDue = Infinity;
      for (const [id, timer] of this.timers) {
        if (timer.dueMs <= target && timer.dueMs < nextDue) {
          nextDue = timer.dueMs;
          nextId = id;
        }
      }
      if (nextId === undefined) break;
      const timer = this.timers.get(nextId)!;
      this.timers.delete(nextId);
      this.nowMs = Math.max(this.nowMs, timer.dueMs);
      timer.fire();
    }
    this.nowMs = target;
  }

  /**
   * Moves time forward without firing the timers that fall due, as when an event is handled in the moment
   * between a deadline passing and its timer callback running; the next advance() fires them.
   */
  advanceWithoutFiring(ms: number): void {
    this.nowMs += ms;
  }

  /** Changes only the wall clock, as an administrator or NTP would; deadlines must not move. */
  jumpWallClock(ms: number): void {
    this.wallOffsetMs += ms;
  }

  pendingTimers(): number {
    return this.timers.size;
  }
}
