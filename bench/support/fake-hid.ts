import { EventEmitter } from 'node:events';
import type { HidBackend, HidDeviceInfo, HidTransport } from '../../native/hid/hid-transport.js';

/*
 * In-memory stand-ins for node-hid devices, shared by the reader tests (test/native) and the reader
 * benchmark, which both drive the real drivers over them.
 */

/** Parses fixture hex ("00 1a ff") into bytes. */
export function bytes(hex: string): Buffer {
  return Buffer.from(hex.replace(/\s+/g, ''), 'hex');
}

/**
 * A fake node-hid HIDAsync device. Feature reports are answered by `answer(lastCommandReport)`; input
 * reports are pushed with `input()`. `unplug()` makes every pending and later call fail, as node-hid does;
 * `hung` makes feature report reads never answer, as a wedged device does.
 */
export class FakeHidDevice extends EventEmitter implements HidTransport {
  readonly sent: Buffer[] = [];
  /** Feature report reads asked for. */
  gets = 0;
  closed = false;
  unplugged = false;
  hung = false;
  private lastCommand: Buffer | undefined;

  constructor(private readonly answer: (command: Buffer) => Buffer = () => Buffer.alloc(9)) {
    super();
  }

  async sendFeatureReport(data: number[] | Buffer): Promise<number> {
    if (this.unplugged || this.closed) throw new Error('could not send feature report to device');
    const report = Buffer.from(data);
    this.sent.push(report);
    this.lastCommand = report;
    return report.length;
  }

  async getFeatureReport(reportId: number, reportLength: number): Promise<Buffer> {
    if (this.unplugged || this.closed) throw new Error('could not get feature report from device');
    this.gets++;
    if (this.hung) return new Promise<Buffer>(() => undefined);
    const answer = this.answer(this.lastCommand ?? Buffer.alloc(0));
    if (answer[0] !== reportId) throw new Error('fake: answer does not start with the requested report id');
    return answer.subarray(0, reportLength);
  }

  input(report: Buffer): void {
    if (!this.closed) this.emit('data', report);
  }

  unplug(): void {
    this.unplugged = true;
    this.emit('error', new Error('could not read from HID device'));
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** A fake node-hid module: a device list tests plug into and out of. */
export class FakeHidBackend implements HidBackend {
  enumerations = 0;
  opens = 0;
  private readonly plugged = new Map<string, { info: HidDeviceInfo; make: () => FakeHidDevice }>();
  readonly opened: FakeHidDevice[] = [];
  private readonly pathOf = new Map<FakeHidDevice, string>();
  failOpen: Error | undefined;

  plug(
    path: string,
    info: Omit<HidDeviceInfo, 'path' | 'interface'> & { interface?: number },
    make: () => FakeHidDevice,
  ): void {
    this.plugged.set(path, { info: { interface: 0, ...info, path }, make });
  }

  unplug(path: string): void {
    this.plugged.delete(path);
    for (const [device, devicePath] of this.pathOf) if (devicePath === path && !device.closed) device.unplug();
  }

  async devicesAsync(): Promise<HidDeviceInfo[]> {
    this.enumerations++;
    return [...this.plugged.values()].map((p) => p.info);
  }

  async open(path: string): Promise<HidTransport> {
    this.opens++;
    if (this.failOpen) throw this.failOpen;
    const entry = this.plugged.get(path);
    if (!entry) throw new Error(`cannot open device with path ${path}`);
    const device = entry.make();
    this.opened.push(device);
    this.pathOf.set(device, path);
    return device;
  }

  get lastDevice(): FakeHidDevice | undefined {
    return this.opened.at(-1);
  }
}

/** A pcProx emulator answering from fixture hex strings: config page 0 and the current card buffers. */
export class FakePcProx {
  card: { buffer0: string; buffer1: string } | undefined;
  constructor(public page0: string) {}

  answer = (command: Buffer): Buffer => {
    switch (command[1]) {
      case 0x80:
        return bytes(this.page0);
      case 0x8f:
        return this.card ? bytes(this.card.buffer0) : Buffer.alloc(9);
      case 0x8e:
        return this.card ? bytes(this.card.buffer1) : Buffer.alloc(9);
      default:
        return Buffer.alloc(9);
    }
  };
}
