import type { ReaderConfig } from '../../native/manager/reader-config.js';
import { ContractServer } from '../contract/contract-server.js';
import { openReaders } from './open-workstation.js';
import type { RendererListener, WorkstationHost } from './workstation-host.js';

/** Stops the readers and lets go of the hardware, for the workstation to open it itself. */
export type StopTapCue = () => Promise<void>;

/**
 * The readers of an invalid policy whose `readers` section alone is valid, started on its locked screen only so
 * that a tap is confirmed there ("Badge read": `readers:badge-read` to `listener`) next to the policy-error notice
 * (docs/workstation.md#start). No badge goes anywhere else: nothing here can sign anyone in.
 */
export async function startTapCueReaders(
  config: ReaderConfig,
  host: Pick<WorkstationHost, 'clock' | 'hardware' | 'readerOverride' | 'captureWedgeKeys'>,
  listener: RendererListener,
): Promise<StopTapCue> {
  const readers = openReaders(config, {
    clock: host.clock,
    ...(host.hardware ? { hardware: host.hardware } : {}),
    ...(host.readerOverride ? { readerOverride: (entry) => host.readerOverride?.(entry) } : {}),
  });
  const offEvents = readers.onEvent((event) => {
    if (event.kind === 'tap')
      listener('readers:badge-read', ContractServer.event('readers:badge-read', { readerId: event.readerId }));
  });
  const release = host.captureWedgeKeys?.(readers.keyboardWedgeReaders());
  const stop = async () => {
    offEvents();
    release?.();
    await readers.stop();
  };
  try {
    await readers.start();
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}
