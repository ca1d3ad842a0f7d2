/**
 * Time enters domain code only through this interface, so tests drive it with a fake clock
 * instead of sleeping, and so session timers never read the wall clock (docs/design.md#session-semantics).
 */
export interface Clock {
  /** Monotonic milliseconds since an arbitrary origin; never jumps when the wall clock is changed. */
  monotonicMs(): number;
  /** Wall-clock time, used only to stamp records for people (audit timestamps), never for deadlines. */
  wallTime(): Date;
  /** One-shot timer on the monotonic clock. The returned function cancels it. */
  setTimer(delayMs: number, fire: () => void): () => void;
}

export const systemClock: Clock = {
  monotonicMs: () => performance.now(),
  wallTime: () => new Date(),
  setTimer(delayMs, fire) {
    const handle = setTimeout(fire, Math.max(0, delayMs));
    // A pending lock timer must not keep a CLI or test process alive on its own.
    handle.unref?.();
    return () => clearTimeout(handle);
  },
};
