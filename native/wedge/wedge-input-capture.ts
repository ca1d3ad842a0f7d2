import type { Clock } from '../../common/clock.js';
import type { WedgeDecision, WedgeKey, WedgeKeyInput, WedgeModifier } from './wedge-burst-detector.js';
import { WedgeEchoes } from './wedge-echoes.js';

/** A synthetic key event, as webContents.sendInputEvent takes it. */
export interface WedgeInputEvent {
  type: 'keyDown' | 'char' | 'keyUp';
  keyCode: string;
  modifiers: WedgeModifier[];
}

/** The part of one Electron webContents the capture uses: main/shell adapts a real one, tests pass a fake. */
export interface WedgeInputTarget {
  /** 'before-input-event'; the listener returns true when the input must be prevented. Returns an unsubscribe. */
  onBeforeInput(listener: (input: WedgeKeyInput) => boolean): () => void;
  /** 'destroyed'. Returns an unsubscribe. */
  onDestroyed(listener: () => void): () => void;
  isDestroyed(): boolean;
  sendInputEvent(event: WedgeInputEvent): void;
}

/** One reader's burst detection on one input stream, with its own state. */
export interface WedgeKeyFilter {
  handle(input: WedgeKeyInput): WedgeDecision;
  /** The stream is gone: drop held keys and timers. */
  close(): void;
}

/** A keyboard-wedge reader, as far as capture is concerned (KeyboardWedgeReader). */
export interface WedgeKeyFilterSource {
  /**
   * Starts watching one stream. `release` replays keys into that stream only (the gap timer's, or those
   * held when the reader stops); `echoes` says whether replays into it are still on their way.
   */
  openFilter(echoes: { pending(now: number): boolean }, release: (keys: WedgeKey[]) => void): WedgeKeyFilter;
}

/**
 * Keyboard-wedge capture for one webContents (docs/design.md#readers): every key bound for it goes through each wedge
 * reader's detector first, so a badge burst is swallowed before the page sees it. Each webContents has its
 * own detector state and its own replays: keys held back from one are replayed into that one only (never
 * into another window or a hidden EHR view, where a sign-in password could otherwise land), and their
 * echoes are recognised once, here, before any reader sees them. Everything is released when the
 * webContents is destroyed. Returns the same release function, for the shell's shutdown.
 */
export function captureWedgeInput(
  target: WedgeInputTarget,
  sources: readonly WedgeKeyFilterSource[],
  clock: Clock,
): () => void {
  if (sources.length === 0 || target.isDestroyed()) return () => {};
  const echoes = new WedgeEchoes();
  const replay = (keys: readonly WedgeKey[]) => {
    for (const key of keys) {
      if (target.isDestroyed()) return;
      const modifiers = [...key.modifiers];
      // Expected before sending: Electron may emit the echo's before-input-event inside sendInputEvent.
      echoes.expect([key], clock.monotonicMs());
      target.sendInputEvent({ type: 'keyDown', keyCode: key.key, modifiers });
      if ([...key.key].length === 1) target.sendInputEvent({ type: 'char', keyCode: key.key, modifiers });
      target.sendInputEvent({ type: 'keyUp', keyCode: key.key, modifiers });
    }
  };
  const filters = sources.map((source) => source.openFilter(echoes, replay));
  const offInput = target.onBeforeInput((input) => {
    if (echoes.take(input, clock.monotonicMs())) return false;
    for (const filter of filters) {
      const decision = filter.handle(input);
      replay(decision.replay);
      if (decision.prevent) return true;
    }
    return false;
  });
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    offInput();
    offDestroyed();
    for (const filter of filters) filter.close();
  };
  const offDestroyed = target.onDestroyed(release);
  return release;
}
