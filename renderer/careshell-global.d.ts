import type { CareShellApi } from '../preload/contract';

declare global {
  interface Window {
    /** Provided by the preload (Electron) or the harness bridge (browser); nothing else crosses. */
    careshell: CareShellApi;
  }
}
