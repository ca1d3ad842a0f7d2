import { storedPreferences, type PreferenceStore } from '../preferences/preference-store.js';

type Backing = { store: Record<string, unknown> };

/** electron-store, loaded on first use: it reaches for Electron's app as soon as it is imported. */
async function openElectronStore(): Promise<Backing> {
  const { default: Store } = await import('electron-store');
  return new Store<Record<string, unknown>>({ name: 'preferences', clearInvalidConfig: true });
}

/**
 * People's preferences in electron-store (preferences.json in the app's userData folder). Opened on first
 * use, not at start: the store needs the app ready. What it holds is validated on every read like any input;
 * a corrupt file is reset, since these are comfort settings and never security ones.
 */
export function electronPreferenceStore(
  log: { warn(message: string): void },
  /** Opens the store; tests pass electron-store's own engine (conf) in a folder of theirs. */
  open: () => Promise<Backing> | Backing = openElectronStore,
): PreferenceStore {
  let store: Promise<Backing> | undefined;
  const opened = () =>
    (store ??= Promise.resolve()
      .then(open)
      .catch((error: unknown) => {
        store = undefined; // tried again next time
        throw error;
      }));
  return {
    load: async () => storedPreferences((await opened()).store, log),
    save: async (preferences) => {
      (await opened()).store = { ...preferences };
    },
  };
}
