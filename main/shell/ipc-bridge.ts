import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { invokeChannels } from '../../preload/contract.js';
import type { RendererSurface } from '../workstation/workstation-host.js';

/**
 * Electron's transport for the contract. Every request must come from the main frame of our own
 * window showing our own renderer (app://careshell/index.html, app-protocol.ts); anything else is refused and
 * logged, before its payload is read.
 */
export function bridgeContract(
  surface: RendererSurface,
  window: BrowserWindow,
  rendererUrl: string,
  log: { warn(m: string): void },
): () => void {
  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    return (
      event.sender === window.webContents &&
      frame !== null &&
      frame === window.webContents.mainFrame &&
      pageOf(frame.url) === rendererUrl
    );
  };
  const channels = Object.keys(invokeChannels);
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, payload: unknown) => {
      if (!trusted(event)) {
        const error = `Refused ${channel} from an untrusted frame (${event.senderFrame?.url ?? 'unknown'}).`;
        log.warn(error);
        return { ok: false, error };
      }
      return surface.invoke(channel, payload);
    });
  }
  const unsubscribe = surface.subscribe((channel, payload) => {
    if (!window.isDestroyed()) window.webContents.send(channel, payload);
  });
  return () => {
    unsubscribe();
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/** The URL without its fragment; undefined when it is not a URL. */
function pageOf(url: string): string | undefined {
  try {
    return new URL(url).href.split('#')[0];
  } catch {
    return undefined;
  }
}
