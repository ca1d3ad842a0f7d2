/**
 * The part of node-hid's `HIDAsync` API the drivers use, so that tests (and the bench) can feed byte-exact
 * reports through a fake, and production code can hand over a real node-hid device unchanged.
 */
export interface HidTransport {
  /** Byte 0 is the report id (0x00 for devices without numbered reports), as in node-hid. */
  sendFeatureReport(data: number[] | Buffer): Promise<number>;
  getFeatureReport(reportId: number, reportLength: number): Promise<Buffer>;
  /** 'data' delivers input reports; 'error' fires when the device goes away or fails. */
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  removeAllListeners(event?: string): unknown;
  close(): Promise<void>;
}

/** The subset of node-hid's `Device` record that identifies a reader. */
export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  path?: string | undefined;
  serialNumber?: string | undefined;
  product?: string | undefined;
  manufacturer?: string | undefined;
  interface: number;
  usagePage?: number | undefined;
  usage?: number | undefined;
}

/** Device discovery and opening, mirroring node-hid's `devicesAsync` and `HIDAsync.open(path)`. */
export interface HidBackend {
  devicesAsync(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidTransport>;
}

export function hex4(id: number): string {
  return id.toString(16).padStart(4, '0');
}
