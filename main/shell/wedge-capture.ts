import type { WebContents } from 'electron';
import type { KeyboardWedgeReader } from '../../native/wedge/keyboard-wedge-reader.js';
import type { WedgeKey } from '../../native/wedge/wedge-burst-detector.js';

/**
 * Keyboard-wedge readers type into whatever has focus (DESIGN.md §5). Every key bound for our pages or an
 * EHR view goes through the wedge detectors first, so a badge burst is swallowed before any page sees it;
 * keys held as a possible burst that turn out to be a person typing are replayed in order.
 */
export function captureWedgeKeys(contents: WebContents, readers: readonly KeyboardWedgeReader[]): () => void {
  if (readers.length === 0) return () => {};
  const onInput = (event: Electron.Event, input: Electron.Input) => {
    for (const reader of readers) {
      const decision = reader.handleKey({ ...input, type: input.type as 'keyDown' | 'keyUp' | 'char' | 'rawKeyDown' });
      if (decision.prevent) event.preventDefault();
      replay(contents, decision.replay);
      if (decision.prevent) return;
    }
  };
  contents.on('before-input-event', onInput);
  const offReplays = readers.map((reader) => reader.onReplay((keys) => replay(contents, keys)));
  return () => {
    contents.off('before-input-event', onInput);
    for (const off of offReplays) off();
  };
}

function replay(contents: WebContents, keys: readonly WedgeKey[]): void {
  if (contents.isDestroyed()) return;
  for (const key of keys) {
    const modifiers = [...key.modifiers];
    contents.sendInputEvent({ type: 'keyDown', keyCode: key.key, modifiers });
    if ([...key.key].length === 1) contents.sendInputEvent({ type: 'char', keyCode: key.key, modifiers });
    contents.sendInputEvent({ type: 'keyUp', keyCode: key.key, modifiers });
  }
}
