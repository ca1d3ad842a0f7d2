import type { Clock } from '../../../common/clock.js';

/** A manual monotonic clock: timers fire only when a test advances time. */
export class FakeClock implements Clock {
  private now = 0;
  private seq = 0;
  private timers: { at: number; seq: number; fire: () => void }[] = [];

  monotonicMs(): number {
    return this.now;
  }

  wallTime(): Date {
    return new Date(1_700_000_000_000 + this.now);
  }

  setTimer(delayMs: number, fire: () => void): () => void {
    const timer = { at: this.now + Math.max(0, delayMs), seq: this.seq++, fire };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward synchronously, firing due timers in order (for purely synchronous code). */
  advanceSync(ms: number): void {
    const target = this.now + ms;
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.now = next.at;
      next.fire();
    }
    this.now = target;
  }

  /** Moves time forward, letting promise chains started by each timer settle before the next one. */
  async advance(ms: number): Promise<void> {
    const target = this.now + ms;
    await settle();
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.now = next.at;
      next.fire();
      await settle();
    }
    this.now = target;
  }

  private nextDue(target: number) {
    const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
    if (due) this.timers = this.timers.filter((t) => t !== due);
    return due;
  }
}

/** Lets pending promise callbacks (fake device I/O) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
