import { WedgeBurstDetector, type WedgeKey, type WedgeKeyInput } from '../../../native/wedge/wedge-burst-detector.js';
import { FakeClock } from '../support/fake-clock.js';

/** One key press as a person or a reader types it: keyDown at `at`, keyUp `holdMs` later. */
export interface Press {
  key: string;
  code?: string;
  at: number;
  holdMs?: number;
  shift?: boolean;
  control?: boolean;
}

/**
 * The US-layout `code` of a key: what a main keyboard types, and what Electron's sendInputEvent gives
 * every echo (so a replayed numpad 1 comes back as Digit1, a right Shift as ShiftLeft).
 */
export function codeFor(key: string): string {
  if (/^[0-9]$/.test(key)) return `Digit${key}`;
  if (/^[a-z]$/i.test(key)) return `Key${key.toUpperCase()}`;
  if (key === ' ') return 'Space';
  if (key === ':' || key === ';') return 'Semicolon';
  if (key === '?' || key === '/') return 'Slash';
  if (['Shift', 'Control', 'Alt', 'Meta'].includes(key)) return `${key}Left`;
  return key;
}

/** Presses for `text` starting at `start`, one every `gapMs` (a number or a function of the index). */
export function typeText(text: string, start: number, gapMs: number | ((i: number) => number), holdMs = 4): Press[] {
  const presses: Press[] = [];
  let at = start;
  [...text].forEach((ch, i) => {
    const key = ch === '\n' ? 'Enter' : ch;
    presses.push({ key, at, holdMs, shift: ch === ':' || /[A-Z]/.test(ch) });
    at += typeof gapMs === 'number' ? gapMs : gapMs(i);
  });
  return presses;
}

/**
 * Drives a detector the way the shell does: feeds key events in time order, applies decisions, replays
 * released keys into a model page and feeds their echoes back (as Electron does for sendInputEvent).
 */
export class WedgeHarness {
  readonly clock = new FakeClock();
  readonly page: string[] = [];
  readonly bursts: string[] = [];
  readonly detector: WedgeBurstDetector;
  /** Longest time a key spent held before it reached the page. */
  maxDelayMs = 0;
  echoesPrevented = 0;
  /** Replays sent, and how many of their echoes to lose (a page that went away before they came back). */
  replayed = 0;
  dropEchoes = new Set<number>();
  private readonly typedAt = new Map<string, number[]>();

  constructor(options: Omit<ConstructorParameters<typeof WedgeBurstDetector>[0], 'clock' | 'onRelease' | 'onBurst'>) {
    this.detector = new WedgeBurstDetector({
      ...options,
      clock: this.clock,
      onRelease: (keys) => this.replay(keys),
      onBurst: (body) => this.bursts.push(body),
    });
  }

  run(presses: Press[]): void {
    const events: { at: number; order: number; input: WedgeKeyInput }[] = [];
    presses.forEach((p, i) => {
      const base = { key: p.key, code: p.code ?? codeFor(p.key), shift: !!p.shift, control: !!p.control };
      events.push({ at: p.at, order: i * 2, input: { type: 'keyDown', ...base } });
      events.push({ at: p.at + (p.holdMs ?? 4), order: i * 2 + 1, input: { type: 'keyUp', ...base } });
    });
    events.sort((a, b) => a.at - b.at || a.order - b.order);
    if (events.length > 0 && events[0]!.at < this.clock.monotonicMs()) throw new Error('harness: presses start in the past');
    for (const e of events) {
      this.clock.advanceSync(Math.max(0, e.at - this.clock.monotonicMs()));
      if (e.input.type === 'keyDown') this.typedAt.set(e.input.key, [...(this.typedAt.get(e.input.key) ?? []), e.at]);
      const decision = this.detector.handle(e.input);
      if (!decision.prevent && e.input.type === 'keyDown') this.deliver(e.input.key);
      this.replay(decision.replay);
    }
    this.clock.advanceSync(1000);
  }

  private deliver(key: string): void {
    const times = this.typedAt.get(key);
    const typed = times?.shift();
    if (typed !== undefined) this.maxDelayMs = Math.max(this.maxDelayMs, this.clock.monotonicMs() - typed);
    this.page.push(key);
  }

  private replay(keys: WedgeKey[]): void {
    for (const k of keys) {
      this.deliver(k.key);
      if (this.dropEchoes.has(this.replayed++)) continue;
      // Electron emits before-input-event for sendInputEvent too, with the US-layout code of the key sent;
      // preventDefault has no effect on them.
      for (const type of ['keyDown', 'keyUp'] as const) {
        const echo = this.detector.handle({ type, key: k.key, code: codeFor(k.key), shift: k.modifiers.includes('shift') });
        if (echo.prevent || echo.replay.length > 0) this.echoesPrevented++;
        this.replay(echo.replay);
      }
    }
  }
}

export const DIGITS = new Set('0123456789');
