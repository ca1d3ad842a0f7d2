import type { WebContents } from 'electron';
import { systemClock } from '../../common/clock.js';
import type { WedgeKeyInput } from '../../native/wedge/wedge-burst-detector.js';
import { captureWedgeInput, type WedgeKeyFilterSource } from '../../native/wedge/wedge-input-capture.js';

/**
 * Keyboard-wedge readers type into whatever has focus (docs/readers.md): this adapts one webContents to the
 * capture in native/wedge/wedge-input-capture.ts, which decides everything. It removes its own listeners
 * when the webContents is destroyed; the returned function does so earlier (shutdown).
 */
export function captureWedgeKeys(contents: WebContents, readers: readonly WedgeKeyFilterSource[]): () => void {
  return captureWedgeInput(
    {
      onBeforeInput(listener) {
        const onInput = (event: Electron.Event, input: Electron.Input) => {
          if (listener({ ...input, type: input.type as WedgeKeyInput['type'] })) event.preventDefault();
        };
        contents.on('before-input-event', onInput);
        return () => contents.off('before-input-event', onInput);
      },
      onDestroyed(listener) {
        contents.once('destroyed', listener);
        return () => contents.off('destroyed', listener);
      },
      isDestroyed: () => contents.isDestroyed(),
      sendInputEvent: (event) => contents.sendInputEvent(event),
    },
    readers,
    systemClock,
  );
}
