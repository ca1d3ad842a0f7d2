import type { Clock } from '../../common/clock.js';
import type { BadgeReader, BadgeReaderListener } from '../badge-reader.js';
import { describeMatch, findHidDevice, type HidDeviceMatch } from '../hid/hid-device-match.js';
import type { HidBackend, HidTransport } from '../hid/hid-transport.js';
import { ReaderEventHub } from '../reader-event-hub.js';
import { BootKeyboardDecoder } from './boot-keyboard-decoder.js';
import type { WedgeBurstDetector } from './wedge-burst-detector.js';
import { createWedgeDetector, type WedgeCaptureConfig } from './wedge-capture-config.js';
import { wedgeBodyToBadge } from './wedge-id.js';

export interface HidrawWedgeReaderOptions {
  id: string;
  description: string;
  match: HidDeviceMatch;
  capture: WedgeCaptureConfig;
  /** Report id in front of boot-keyboard reports, for composite readers with numbered reports. */
  reportId: number | null;
  backend: HidBackend;
  clock: Clock;
}

/**
 * Linux: reads a keyboard-wedge reader's own boot-keyboard reports from its hidraw node, so a tap is
 * recognised from that device only, whatever window has focus. Reading hidraw does not stop the OS from
 * also typing the keys: docs/readers.md gives the udev rule that detaches the reader from the desktop's
 * keyboard input (LIBINPUT_IGNORE_DEVICE); the before-input-event capture remains as a second guard.
 * Keys that are not a burst are ignored here (the OS already delivered them), never replayed.
 */
export class HidrawWedgeReader implements BadgeReader {
  readonly id: string;
  private readonly hub = new ReaderEventHub();
  private transport: HidTransport | undefined;
  private readonly detector: WedgeBurstDetector;
  private decoder: BootKeyboardDecoder;

  constructor(private readonly options: HidrawWedgeReaderOptions) {
    this.id = options.id;
    this.decoder = new BootKeyboardDecoder(options.reportId);
    this.detector = createWedgeDetector(
      options.capture,
      options.clock,
      (body) => this.onBurst(body),
      () => undefined,
    );
  }

  onEvent(listener: BadgeReaderListener): () => void {
    return this.hub.on(listener);
  }

  async start(): Promise<void> {
    if (this.transport) return;
    const device = await findHidDevice(this.options.backend, this.options.match);
    const transport = await this.options.backend.open(device.path);
    this.transport = transport;
    this.decoder = new BootKeyboardDecoder(this.options.reportId);
    transport.on('data', (report) => {
      for (const key of this.decoder.decode(report)) this.detector.handle(key);
    });
    transport.on('error', () => void this.stop());
    this.hub.emit({
      kind: 'attached',
      readerId: this.id,
      description: `${this.options.description} (${describeMatch(this.options.match)}, keyboard reports)`,
    });
  }

  async stop(): Promise<void> {
    const transport = this.transport;
    if (!transport) return;
    this.transport = undefined;
    this.detector.reset();
    transport.removeAllListeners();
    await transport.close().catch(() => undefined);
    this.hub.emit({ kind: 'detached', readerId: this.id });
  }

  private onBurst(body: string): void {
    const result = wedgeBodyToBadge(this.options.capture.id, body);
    this.hub.emit(
      result.ok
        ? { kind: 'tap', readerId: this.id, ...result.badge }
        : {
            kind: 'error',
            readerId: this.id,
            message: `Badge read not accepted: ${result.reason}. Check the reader's output settings against the wedge policy.`,
            scope: 'read',
          },
    );
  }
}
