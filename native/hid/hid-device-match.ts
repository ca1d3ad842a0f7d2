import { z } from 'zod';
import { hex4, type HidBackend, type HidDeviceInfo } from './hid-transport.js';
import { ReaderMissingError } from '../reader-missing-error.js';

const usbId = z.number().int().min(0).max(0xffff);

/** Which USB HID device a configured reader is: vendor/product id, optionally narrowed further. */
export const hidDeviceMatchSchema = z.strictObject({
  vendorId: usbId,
  productId: usbId,
  /** Pick one of several identical readers on the same machine. */
  serialNumber: z.string().min(1).optional(),
  /** USB interface number, for composite devices that expose several HID interfaces. */
  interface: z.number().int().min(0).max(255).optional(),
  usagePage: usbId.optional(),
});
export type HidDeviceMatch = z.infer<typeof hidDeviceMatchSchema>;

export function describeMatch(match: HidDeviceMatch): string {
  const serial = match.serialNumber === undefined ? '' : ` serial ${match.serialNumber}`;
  return `USB ${hex4(match.vendorId)}:${hex4(match.productId)}${serial}`;
}

export function matchesDevice(match: HidDeviceMatch, device: HidDeviceInfo): boolean {
  return (
    device.vendorId === match.vendorId &&
    device.productId === match.productId &&
    (match.serialNumber === undefined || device.serialNumber === match.serialNumber) &&
    (match.interface === undefined || device.interface === match.interface) &&
    (match.usagePage === undefined || device.usagePage === match.usagePage)
  );
}

/** Finds the configured device, or throws ReaderMissingError saying what was looked for. */
export async function findHidDevice(
  backend: HidBackend,
  match: HidDeviceMatch,
): Promise<HidDeviceInfo & { path: string }> {
  const devices = await backend.devicesAsync();
  const found = devices.find((d): d is HidDeviceInfo & { path: string } => matchesDevice(match, d) && !!d.path);
  if (!found) throw new ReaderMissingError(`No ${describeMatch(match)} reader is connected.`);
  return found;
}
