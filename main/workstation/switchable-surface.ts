import { sessionViewSchema } from '../../preload/contract.js';
import type { RendererListener, RendererSurface } from './workstation-host.js';

/** What stands behind the renderer's contract at a time: a locked problem screen or the running workstation. */
export interface SurfaceBacking {
  contract: Pick<RendererSurface, 'invoke'>;
  subscribe?: RendererSurface['subscribe'];
}

export interface SwitchableSurface {
  /** Served once to the host for the whole run. */
  surface: RendererSurface;
  /** Puts `backing` behind the surface and pushes its view, so an open renderer shows the new screen at once. */
  switchTo(backing: SurfaceBacking): Promise<void>;
}

/**
 * One contract end for the whole run, so a host binds its transport once (Electron's ipcMain.handle can hold
 * one handler per channel). Requests that arrive before the first screen is decided wait for it.
 */
export function switchableSurface(): SwitchableSurface {
  const listeners = new Set<RendererListener>();
  const emit: RendererListener = (channel, payload) => {
    for (const listener of listeners) listener(channel, payload);
  };
  let current: SurfaceBacking | undefined;
  let unsubscribe = () => {};
  let firstScreen: () => void = () => {};
  const decided = new Promise<void>((resolve) => (firstScreen = resolve));
  return {
    surface: {
      async invoke(channel, payload) {
        await decided;
        return current!.contract.invoke(channel, payload);
      },
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    async switchTo(backing) {
      unsubscribe();
      current = backing;
      unsubscribe = backing.subscribe?.(emit) ?? (() => {});
      firstScreen();
      const outcome = await backing.contract.invoke('session:get-view', undefined);
      if (outcome.ok) emit('session:view', sessionViewSchema.parse(outcome.result));
      emit('identity:authenticator-setup', null);
    },
  };
}
