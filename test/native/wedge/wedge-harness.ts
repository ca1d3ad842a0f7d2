import {
  WedgeBurstDetector,
  type WedgeBurstDetectorOptions,
  type WedgeKeyInput,
} from '../../../native/wedge/wedge-burst-detector.js';
import {
  captureWedgeInput,
  type WedgeInputEvent,
  type WedgeInputTarget,
  type WedgeKeyFilterSource,
} from '../../../native/wedge/wedge-input-capture.js';
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
 * A fake webContents for the capture: typed keys reach `page` unless a listener prevents them; keys sent
 * with sendInputEvent reach the page and, as in Electron, come back through before-input-event with the
 * US-layout code of the key sent (preventDefault has no effect on them). `dropEchoes` loses the echoes of
 * the n-th replayed key, as when a page goes away before they come back.
 */
export class FakeWebContents implements WedgeInputTarget {
  readonly page: string[] = [];
  echoesPrevented = 0;
  replayed = 0;
  readonly dropEchoes = new Set<number>();
  destroyed = false;
  private readonly inputListeners = new Set<(input: WedgeKeyInput) => boolean>();
  private readonly destroyedListeners = new Set<() => void>();
  private current = -1;

  constructor(private readonly onDeliver: (key: string) => void = () => undefined) {}

  get listenerCount(): number {
    return this.inputListeners.size + this.destroyedListeners.size;
  }

  onBeforeInput(listener: (input: WedgeKeyInput) => boolean): () => void {
    this.inputListeners.add(listener);
    return () => this.inputListeners.delete(listener);
  }

  onDestroyed(listener: () => void): () => void {
    this.destroyedListeners.add(listener);
    return () => this.destroyedListeners.delete(listener);
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** A key pressed or released on the keyboard while this webContents has focus. */
  type(input: WedgeKeyInput): void {
    if (!this.emit(input) && input.type === 'keyDown') this.deliver(input.key);
  }

  sendInputEvent(event: WedgeInputEvent): void {
    if (this.destroyed) throw new Error('fake: sendInputEvent on a destroyed webContents');
    if (event.type === 'keyDown') {
      this.current = this.replayed++;
      this.deliver(event.keyCode);
    }
    if (event.type === 'char' || this.dropEchoes.has(this.current)) return;
    const echo = {
      type: event.type,
      key: event.keyCode,
      code: codeFor(event.keyCode),
      shift: event.modifiers.includes('shift'),
    };
    if (this.emit(echo)) this.echoesPrevented++;
  }

  destroy(): void {
    this.destroyed = true;
    for (const listener of [...this.destroyedListeners]) listener();
  }

  private emit(input: WedgeKeyInput): boolean {
    let prevented = false;
    for (const listener of [...this.inputListeners]) prevented = listener(input) || prevented;
    return prevented;
  }

  private deliver(key: string): void {
    this.page.push(key);
    this.onDeliver(key);
  }
}

/** Key events for presses, in time order (keyDown at `at`, keyUp `holdMs` later). */
export function keyEvents(presses: Press[]): { at: number; input: WedgeKeyInput }[] {
  const events: { at: number; order: number; input: WedgeKeyInput }[] = [];
  presses.forEach((p, i) => {
    const base = { key: p.key, code: p.code ?? codeFor(p.key), shift: !!p.shift, control: !!p.control };
    events.push({ at: p.at, order: i * 2, input: { type: 'keyDown', ...base } });
    events.push({ at: p.at + (p.holdMs ?? 4), order: i * 2 + 1, input: { type: 'keyUp', ...base } });
  });
  return events.sort((a, b) => a.at - b.at || a.order - b.order);
}

/** A filter source for a bare detector (KeyboardWedgeReader builds the same from a capture policy). */
export function detectorSource(
  options: Omit<WedgeBurstDetectorOptions, 'echoes' | 'onRelease'>,
  opened: (detector: WedgeBurstDetector) => void = () => undefined,
): WedgeKeyFilterSource {
  return {
    openFilter: (echoes, release) => {
      const detector = new WedgeBurstDetector({ ...options, echoes, onRelease: release });
      opened(detector);
      return { handle: (input) => detector.handle(input), close: () => void detector.reset() };
    },
  };
}

/**
 * Drives one detector the way the shell does: through the real capture (wedge-input-capture.ts) on a fake
 * webContents, with keys fed in time order and replays echoed back.
 */
export class WedgeHarness {
  readonly clock = new FakeClock();
  readonly bursts: string[] = [];
  readonly contents: FakeWebContents;
  detector!: WedgeBurstDetector;
  /** Longest time a key spent held before it reached the page. */
  maxDelayMs = 0;
  private readonly typedAt = new Map<string, number[]>();

  constructor(options: Omit<WedgeBurstDetectorOptions, 'clock' | 'onRelease' | 'onBurst' | 'echoes'>) {
    this.contents = new FakeWebContents((key) => {
      const typed = this.typedAt.get(key)?.shift();
      if (typed !== undefined) this.maxDelayMs = Math.max(this.maxDelayMs, this.clock.monotonicMs() - typed);
    });
    const source = detectorSource(
      { ...options, clock: this.clock, onBurst: (body) => this.bursts.push(body) },
      (d) => (this.detector = d),
    );
    captureWedgeInput(this.contents, [source], this.clock);
  }

  get page(): string[] {
    return this.contents.page;
  }

  get echoesPrevented(): number {
    return this.contents.echoesPrevented;
  }

  get dropEchoes(): Set<number> {
    return this.contents.dropEchoes;
  }

  run(presses: Press[]): void {
    const events = keyEvents(presses);
    if (events.length > 0 && events[0]!.at < this.clock.monotonicMs())
      throw new Error('harness: presses start in the past');
    for (const e of events) {
      this.clock.advanceSync(Math.max(0, e.at - this.clock.monotonicMs()));
      if (e.input.type === 'keyDown') this.typedAt.set(e.input.key, [...(this.typedAt.get(e.input.key) ?? []), e.at]);
      this.contents.type(e.input);
    }
    this.clock.advanceSync(1000);
  }
}

export const DIGITS = new Set('0123456789');
