import { ManualClock } from '../../../common/manual-clock.js';
import type { PinResult } from '../../../main/session/ports.js';
import { FakePins, PINS } from './session-test-kit.js';

/** Test doubles the property tests script step by step (service-driver.ts). */

/**
 * A manual clock that says when its next timer is due, so a driver can stop at each deadline, and that throws
 * when timers keep firing at one instant (a deadline that is re-armed without anything changing).
 */
export class TimerClock extends ManualClock {
  private readonly due = new Map<number, number>();
  private nextTimer = 0;
  private firedInOneAdvance = 0;

  constructor(private readonly maxFiringsPerAdvance: number) {
    super();
  }

  override setTimer(delayMs: number, fire: () => void): () => void {
    const id = this.nextTimer++;
    this.due.set(id, this.monotonicMs() + Math.max(0, delayMs));
    const cancel = super.setTimer(delayMs, () => {
      this.due.delete(id);
      if (++this.firedInOneAdvance > this.maxFiringsPerAdvance)
        throw new Error(`a deadline timer keeps firing at ${this.monotonicMs()} without progress`);
      fire();
    });
    return () => {
      this.due.delete(id);
      cancel();
    };
  }

  override advance(ms: number): void {
    this.firedInOneAdvance = 0;
    super.advance(ms);
  }

  nextDueMs(): number | undefined {
    return this.due.size === 0 ? undefined : Math.min(...this.due.values());
  }
}

/**
 * The fake PIN store (FakePins: three attempts, then locked until a full sign-in), answering as if the PIN
 * entered was right or wrong for whoever is asked, as `right` says at the moment of the check.
 */
export class ScriptedPins extends FakePins {
  right = false;

  constructor(private readonly accepted: (userId: string) => void) {
    super(3);
  }

  override async verify(userId: string, _pin: string): Promise<PinResult> {
    const result = await super.verify(userId, this.right ? (PINS[userId] ?? '') : '0000');
    if (result.ok) this.accepted(userId);
    return result;
  }
}
