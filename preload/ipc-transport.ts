import { ipcRenderer } from 'electron';
import { eventChannels, unwrapOutcome, type ContractTransport } from './contract.js';

/** The Electron transport: ipcRenderer.invoke for requests, ipcRenderer.on for pushes. */
export const ipcTransport: ContractTransport = {
  async invoke(channel, request) {
    return unwrapOutcome(channel, await ipcRenderer.invoke(channel, request));
  },
  subscribe(channel, listener) {
    const wrapped = (_event: unknown, payload: unknown) => {
      const parsed = eventChannels[channel].payload.safeParse(payload);
      if (parsed.success) listener(parsed.data as Parameters<typeof listener>[0]);
    };
    ipcRenderer.on(channel, wrapped);
    return () => ipcRenderer.removeListener(channel, wrapped);
  },
};
