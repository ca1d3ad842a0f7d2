import type { BadgeReader, BadgeReaderListener } from '../badge-reader.js';
import { describeMatch, findHidDevice, type HidDeviceMatch } from '../hid/hid-device-match.js';
import type { HidBackend, HidTransport } from '../hid/hid-transport.js';
import { ReaderEventHub } from '../reader-event-hub.js';
import { decodeHidReport, type HidReportLayout } from './hid-report-layout.js';

export interface GenericHidReaderOptions {
  id: string;
  description: string;
  match: HidDeviceMatch;
  layout: HidReportLayout;
  backend: HidBackend;
}

/**
 * A reader switched out of keyboard mode into HID data mode: it sends each read as an input report whose
 * layout comes from policy (hid-report-layout.ts). Reports arrive through node-hid's 'data' event, so
 * there is no polling. With `emptyMeansRemoved` a held card is reported once and its removal is reported;
 * otherwise every card report is a tap and the reader manager's debounce folds repeats.
 */
export class GenericHidReader implements BadgeReader {
  readonly id: string;
  private readonly hub = new ReaderEventHub();
  private transport: HidTransport | undefined;
  private presentCard: string | undefined;

  constructor(private readonly options: GenericHidReaderOptions) {
    this.id = options.id;
  }

  onEvent(listener: BadgeReaderListener): () => void {
    return this.hub.on(listener);
  }

  async start(): Promise<void> {
    if (this.transport) return;
    const device = await findHidDevice(this.options.backend, this.options.match);
    const transport = await this.options.backend.open(device.path);
    this.transport = transport;
    this.presentCard = undefined;
    transport.on('data', (report) => this.onReport(report));
    transport.on('error', () => void this.stop());
    this.hub.emit({
      kind: 'attached',
      readerId: this.id,
      description: `${this.options.description} (${describeMatch(this.options.match)})`,
    });
  }

  async stop(): Promise<void> {
    const transport = this.transport;
    if (!transport) return;
    this.transport = undefined;
    transport.removeAllListeners();
    await transport.close().catch(() => undefined);
    this.hub.emit({ kind: 'detached', readerId: this.id });
  }

  private onReport(report: Buffer): void {
    const decoded = decodeHidReport(this.options.layout, report);
    const presence = this.options.layout.emptyMeansRemoved;
    switch (decoded.kind) {
      case 'ignored':
        return;
      case 'empty':
        if (presence && this.presentCard !== undefined) {
          this.hub.emit({ kind: 'removed', readerId: this.id, badgeId: this.presentCard });
          this.presentCard = undefined;
        }
        return;
      case 'bad':
        this.hub.emit({
          kind: 'error',
          readerId: this.id,
          message: `Badge not accepted: ${decoded.reason}. Tap the badge again.`,
          scope: 'read',
        });
        return;
      case 'card': {
        if (presence && this.presentCard === decoded.badge.badgeId) return;
        if (presence) this.presentCard = decoded.badge.badgeId;
        this.hub.emit({ kind: 'tap', readerId: this.id, ...decoded.badge });
      }
    }
  }
}
