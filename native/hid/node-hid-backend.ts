import type * as NodeHid from 'node-hid';
import type { HidBackend, HidTransport } from './hid-transport.js';

/**
 * The production HidBackend over node-hid. node-hid is imported lazily so that code and tests that never
 * touch hardware do not need its native addon, and so a missing addon becomes a clear reader error
 * instead of a crash at start-up.
 */
export function createNodeHidBackend(): HidBackend {
  let loaded: Promise<typeof NodeHid> | undefined;
  const load = () => {
    loaded ??= import('node-hid').catch((cause: unknown) => {
      loaded = undefined;
      throw new Error(
        'The node-hid native module could not be loaded, so USB badge readers cannot be used. ' +
          'Reinstall CareShell (the package ships node-hid prebuilt binaries), then restart.',
        { cause },
      );
    });
    return loaded;
  };
  return {
    async devicesAsync() {
      const hid = await load();
      return hid.devicesAsync();
    },
    async open(path: string): Promise<HidTransport> {
      const hid = await load();
      return hid.HIDAsync.open(path);
    },
  };
}
