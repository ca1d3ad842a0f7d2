import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { invokeChannels, type InvokeChannel } from '../../preload/contract.js';
import type { CareShell } from '../app/create-careshell.js';

/**
 * Electron's transport for the contract. Every request must come from the main frame of our own
 * window showing our own renderer; anything else is refused and logged, before its payload is read.
 */
export function bridgeContract(
  careshell: Pick<CareShell, 'contract'> & Partial<Pick<CareShell, 'subscribe'>>,
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
      new URL(frame.url).href.split('#')[0] === rendererUrl
    );
  };
  for (const channel of Object.keys(invokeChannels) as InvokeChannel[]) {
    ipcMain.handle(channel, async (event, payload: unknown) => {
      if (!trusted(event)) {
        const error = `Refused ${channel} from an untrusted frame (${event.senderFrame?.url ?? 'unknown'}).`;
        log.warn(error);
        return { ok: false, error };
      }
      return careshell.contract.invoke(channel, payload);
    });
  }
  const unsubscribe =
    careshell.subscribe?.((channel, payload) => {
      if (!window.isDestroyed()) window.webContents.send(channel, payload);
    }) ?? (() => {});
  return () => {
    unsubscribe();
    for (const channel of Object.keys(invokeChannels)) ipcMain.removeHandler(channel);
  };
}
