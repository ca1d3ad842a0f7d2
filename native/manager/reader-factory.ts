import type { Clock } from '../../common/clock.js';
import type { BadgeReader } from '../badge-reader.js';
import { GenericHidReader } from '../drivers/generic-hid-reader.js';
import { PcProxReader } from '../drivers/pcprox-reader.js';
import type { HidBackend } from '../hid/hid-transport.js';
import { loadPcscBinding, type PcscFactory } from '../pcsc/pcsc-binding.js';
import { PcscReader } from '../pcsc/pcsc-reader.js';
import { SimulatedReader } from '../simulated-reader.js';
import { HidrawWedgeReader } from '../wedge/hidraw-wedge-reader.js';
import { KeyboardWedgeReader } from '../wedge/keyboard-wedge-reader.js';
import { readerDescription, type ReaderEntry } from './reader-config.js';

export interface ReaderFactoryDeps {
  clock: Clock;
  hidBackend?: HidBackend;
  loadPcsc?: () => Promise<PcscFactory>;
}

function requireBackend(deps: ReaderFactoryDeps, entry: ReaderEntry): HidBackend {
  if (!deps.hidBackend) throw new Error(`Reader "${entry.id}" needs USB HID access, but no HID backend was provided.`);
  return deps.hidBackend;
}

/** The driver for one policy entry. */
export function createReader(entry: ReaderEntry, deps: ReaderFactoryDeps): BadgeReader {
  const description = readerDescription(entry);
  switch (entry.driver) {
    case 'pcprox':
      return new PcProxReader({
        id: entry.id,
        description,
        match: { vendorId: entry.vendorId, productId: entry.productId, serialNumber: entry.serialNumber },
        backend: requireBackend(deps, entry),
        clock: deps.clock,
        pollIntervalMs: entry.pollIntervalMs,
      });
    case 'hid-data':
      return new GenericHidReader({
        id: entry.id,
        description,
        match: entry,
        layout: entry.layout,
        backend: requireBackend(deps, entry),
      });
    case 'keyboard-wedge':
      return new KeyboardWedgeReader({
        id: entry.id,
        description,
        capture: entry.capture,
        clock: deps.clock,
      });
    case 'hidraw-wedge':
      return new HidrawWedgeReader({
        id: entry.id,
        description,
        match: entry,
        capture: entry.capture,
        reportId: entry.reportId,
        backend: requireBackend(deps, entry),
        clock: deps.clock,
      });
    case 'pcsc':
      return new PcscReader({
        id: entry.id,
        description,
        readerName: entry.readerName,
        loadBinding: deps.loadPcsc ?? loadPcscBinding,
      });
    case 'simulated':
      return new SimulatedReader(entry.id);
  }
}
