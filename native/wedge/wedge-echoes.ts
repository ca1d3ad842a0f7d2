import type { WedgeKey, WedgeKeyInput } from './wedge-burst-detector.js';

/** How long a replayed key's echo is awaited; echoes normally return within a few milliseconds. */
export const ECHO_TIMEOUT_MS = 250;

interface Expected {
  type: 'keyDown' | 'keyUp';
  key: string;
  until: number;
}

/**
 * The keys CareShell replayed into one input stream (one webContents) whose echoes have not come back yet.
 * Electron emits 'before-input-event' for webContents.sendInputEvent too, without marking it synthetic, so
 * an echo must be recognised to be let through instead of being held (and replayed) a second time.
 *
 * Echoes are matched on event type and `key` only, anywhere in the queue: sendInputEvent builds the echo's
 * `code` from the US-layout position of `key`, so a numpad 1 (Numpad1) comes back as Digit1 and a right
 * Shift as ShiftLeft, while `key` is what was sent. An echo that never comes back (the page went away)
 * expires after ECHO_TIMEOUT_MS instead of blocking the ones behind it.
 */
export class WedgeEchoes {
  private expected: Expected[] = [];

  /** Call just before the keys are sent (keyDown, char, keyUp each). */
  expect(keys: readonly WedgeKey[], now: number): void {
    for (const k of keys) {
      this.expected.push({ type: 'keyDown', key: k.key, until: now + ECHO_TIMEOUT_MS });
      this.expected.push({ type: 'keyUp', key: k.key, until: now + ECHO_TIMEOUT_MS });
    }
  }

  /** True, and forgotten, when `input` is the echo of a replayed key. 'char' events are never echoes here. */
  take(input: WedgeKeyInput, now: number): boolean {
    this.expire(now);
    if (input.type === 'char') return false;
    const type = input.type === 'rawKeyDown' ? 'keyDown' : input.type;
    const at = this.expected.findIndex((e) => e.type === type && e.key === input.key);
    if (at < 0) return false;
    this.expected.splice(at, 1);
    return true;
  }

  /** Whether replayed keys may still be on their way to the page (a key that would pass queues behind them). */
  pending(now: number): boolean {
    this.expire(now);
    return this.expected.length > 0;
  }

  private expire(now: number): void {
    if (this.expected.some((e) => e.until < now)) this.expected = this.expected.filter((e) => e.until >= now);
  }
}
