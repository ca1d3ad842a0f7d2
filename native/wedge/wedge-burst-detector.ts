/**
 * Keyboard-wedge burst detector: decides, key by key and synchronously, whether a keystroke may reach the
 * page, so that a badge number typed by a wedge reader never lands in an EHR field while a person typing
 * is never swallowed (docs/design.md#readers). Pure logic: no Electron, time from the Clock port.
 *
 * One detector watches one input stream (one webContents) for one reader; wedge-input-capture.ts runs it
 * from that webContents' 'before-input-event' and is the contract with the shell:
 *   - input that is the echo of a key replayed into the stream never reaches handle() (WedgeEchoes);
 *   - for any other input, `d = handle(input)`: if d.prevent, event.preventDefault(); then d.replay is
 *     replayed into the same stream (sendInputEvent keyDown, char, keyUp), as are keys given to onRelease.
 * Keys are replayed in the order they were typed: while held keys or echoes of replays are outstanding
 * (`echoes.pending`), a key that would pass is replayed after them instead of overtaking them.
 *
 * Rules: from idle, a keyDown that can start a burst (first prefix character, or a body character when
 * there is no prefix) is held. While holding, each keyDown must follow the previous one within
 * `maxInterKeyMs` and keep the typed text a possible burst; the terminator completes it (swallowed, body
 * reported through onBurst). A gap longer than `maxInterKeyMs` (timer), a key that breaks the pattern, a
 * shortcut (Ctrl/Alt/Meta) or an auto-repeat releases the held keys for replay. With terminator 'none' a
 * complete burst is recognised when the gap timer fires.
 */
import type { Clock } from '../../common/clock.js';
import { completeBurstBody, couldBecomeBurst, type WedgePattern } from './wedge-pattern.js';

/** Exactly what Electron's 'before-input-event' provides (the fields used here). */
export interface WedgeKeyInput {
  type: 'keyDown' | 'keyUp' | 'char' | 'rawKeyDown';
  key: string;
  code: string;
  isAutoRepeat?: boolean;
  shift?: boolean;
  control?: boolean;
  alt?: boolean;
  meta?: boolean;
}

export type WedgeModifier = 'shift' | 'control' | 'alt' | 'meta';

/** A key press to replay to the page with webContents.sendInputEvent (keyDown, char, keyUp). */
export interface WedgeKey {
  key: string;
  code: string;
  modifiers: WedgeModifier[];
}

export interface WedgeDecision {
  /** Call event.preventDefault() for this input. */
  prevent: boolean;
  /** Keys to replay now, in order (this key included when it had to queue behind held keys). */
  replay: WedgeKey[];
}

export type WedgeTerminator = 'Enter' | 'Tab' | 'none';

export interface WedgeBurstDetectorOptions {
  clock: Clock;
  pattern: WedgePattern;
  terminator: WedgeTerminator;
  /** Longest gap between two keys of one burst. Readers type every 2-16 ms; people rarely under 30 ms for long. */
  maxInterKeyMs: number;
  /** Held keys released by the gap timer (replayed into the stream they came from). */
  onRelease: (keys: WedgeKey[]) => void;
  /**
   * Replays into this stream whose echoes are still to come back. Absent when keys are only observed and
   * never replayed, as with hidraw.
   */
  echoes?: { pending(now: number): boolean };
  /** A complete burst: its body (prefix, suffix and terminator removed). Never logged by the detector. */
  onBurst: (body: string) => void;
}

const MODIFIER_KEYS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'AltGraph', 'CapsLock']);
/** A prevented keyDown's keyUp is also prevented, if it comes within this time (Electron may not send it). */
const KEYUP_MEMORY_MS = 1000;

const PASS: WedgeDecision = Object.freeze({ prevent: false, replay: [] }) as WedgeDecision;

export class WedgeBurstDetector {
  private held: WedgeKey[] = [];
  private text = '';
  private lastKeyAt = 0;
  private cancelTimer: (() => void) | undefined;
  /** code -> time its keyDown was prevented; its keyUp is prevented too. */
  private preventedDowns = new Map<string, number>();

  constructor(private readonly options: WedgeBurstDetectorOptions) {}

  /** True while keys are held back waiting to see whether they are a badge burst. */
  get holding(): boolean {
    return this.held.length > 0;
  }

  handle(input: WedgeKeyInput): WedgeDecision {
    const now = this.options.clock.monotonicMs();
    if (input.type === 'keyUp') return this.handleKeyUp(input, now);
    if (input.type !== 'keyDown' && input.type !== 'rawKeyDown') {
      // 'char' events of held keys are covered by the held keyDown; others pass.
      return this.holding || this.preventedDowns.has(input.code) ? { prevent: true, replay: [] } : PASS;
    }
    const key = toWedgeKey(input);
    if (this.holding && now - this.lastKeyAt > this.options.maxInterKeyMs) {
      // The timer should already have fired; if the event loop was late, release first to keep order.
      return this.releaseThen(input, key, now);
    }
    if (!this.holding) return this.fromIdle(input, key, now);
    return this.whileHolding(input, key, now);
  }

  /** Stops holding, without replaying: returns the held keys for the caller to replay or drop. */
  reset(): WedgeKey[] {
    return this.release();
  }

  private fromIdle(input: WedgeKeyInput, key: WedgeKey, now: number): WedgeDecision {
    const startsBurst =
      !isShortcut(input) &&
      !input.isAutoRepeat &&
      input.key.length === 1 &&
      couldBecomeBurst(this.options.pattern, input.key);
    if (startsBurst) {
      this.hold(key, input.key, now);
      return { prevent: true, replay: [] };
    }
    if (this.options.echoes?.pending(now)) {
      // Earlier replays are still on their way to the page: queue behind them instead of overtaking.
      this.preventDown(input.code, now);
      return { prevent: true, replay: [key] };
    }
    return PASS;
  }

  private whileHolding(input: WedgeKeyInput, key: WedgeKey, now: number): WedgeDecision {
    const { pattern, terminator } = this.options;
    if (MODIFIER_KEYS.has(input.key) && !isShortcut(input)) {
      // Readers press Shift for upper-case characters; hold it with the burst.
      this.hold(key, '', now);
      return { prevent: true, replay: [] };
    }
    if (!isShortcut(input) && !input.isAutoRepeat) {
      if (terminator !== 'none' && input.key === terminator) {
        const body = completeBurstBody(pattern, this.text);
        if (body !== undefined) {
          this.preventDown(input.code, now);
          this.clearHeld();
          this.options.onBurst(body);
          return { prevent: true, replay: [] };
        }
      } else if (input.key.length === 1 && couldBecomeBurst(pattern, this.text + input.key)) {
        this.hold(key, input.key, now);
        return { prevent: true, replay: [] };
      }
    }
    // The pattern is broken: a person is typing.
    return this.releaseThen(input, key, now);
  }

  /**
   * Releases the held keys for replay, then decides on this key afresh. It is prevented either way: it is
   * held as the start of a new burst, or queued to replay after the released keys so it cannot overtake them.
   */
  private releaseThen(input: WedgeKeyInput, key: WedgeKey, now: number): WedgeDecision {
    const released = this.release();
    const next = this.fromIdle(input, key, now);
    if (next.prevent) return { prevent: true, replay: [...released, ...next.replay] };
    this.preventDown(input.code, now);
    return { prevent: true, replay: [...released, key] };
  }

  private handleKeyUp(input: WedgeKeyInput, now: number): WedgeDecision {
    const at = this.preventedDowns.get(input.code);
    if (at !== undefined) {
      this.preventedDowns.delete(input.code);
      if (now - at <= KEYUP_MEMORY_MS) return { prevent: true, replay: [] };
    }
    return PASS;
  }

  private hold(key: WedgeKey, typed: string, now: number): void {
    this.held.push(key);
    this.text += typed;
    this.lastKeyAt = now;
    this.preventDown(key.code, now);
    this.cancelTimer?.();
    this.cancelTimer = this.options.clock.setTimer(this.options.maxInterKeyMs + 1, () => this.onGap());
  }

  private onGap(): void {
    this.cancelTimer = undefined;
    if (!this.holding) return;
    if (this.options.terminator === 'none') {
      const body = completeBurstBody(this.options.pattern, this.text);
      if (body !== undefined) {
        this.clearHeld();
        this.options.onBurst(body);
        return;
      }
    }
    const keys = this.release();
    if (keys.length > 0) this.options.onRelease(keys);
  }

  /** Ends holding and returns the held keys for replay. */
  private release(): WedgeKey[] {
    const keys = this.held;
    this.clearHeld();
    return keys;
  }

  private clearHeld(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.held = [];
    this.text = '';
  }

  private preventDown(code: string, now: number): void {
    this.preventedDowns.set(code, now);
  }
}

function isShortcut(input: WedgeKeyInput): boolean {
  return !!(input.control || input.alt || input.meta);
}

function toWedgeKey(input: WedgeKeyInput): WedgeKey {
  const modifiers: WedgeModifier[] = [];
  if (input.shift) modifiers.push('shift');
  if (input.control) modifiers.push('control');
  if (input.alt) modifiers.push('alt');
  if (input.meta) modifiers.push('meta');
  return { key: input.key, code: input.code, modifiers };
}
