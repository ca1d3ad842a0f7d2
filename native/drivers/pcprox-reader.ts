import type { Clock } from '../../common/clock.js';
import type { BadgeReader, BadgeReaderListener } from '../badge-reader.js';
import { canonicalFromWiegand } from '../formats/canonical-id.js';
import { describeMatch, findHidDevice, type HidDeviceMatch } from '../hid/hid-device-match.js';
import type { HidBackend, HidTransport } from '../hid/hid-transport.js';
import { ReaderEventHub } from '../reader-event-hub.js';
import {
  PCPROX_CMD_CARD_BITS,
  PCPROX_CMD_CARD_DATA,
  PCPROX_CMD_CONFIG_PAGE0,
  PCPROX_COMMAND_SETTLE_MS,
  PCPROX_REPORT_BYTES,
  decodePcProxCard,
  isEmptyReport,
  pcproxCommand,
  pcproxPayload,
  strippedParityBits,
} from './pcprox-protocol.js';

/** A command and its answer take a few milliseconds; a reader silent this long has hung. */
export const PCPROX_ANSWER_TIMEOUT_MS = 1000;

export interface PcProxReaderOptions {
  id: string;
  description: string;
  match: HidDeviceMatch;
  backend: HidBackend;
  clock: Clock;
  /** How often the card buffer is read. The reader has no card-arrival report in raw mode, so it is polled. */
  pollIntervalMs: number;
}

/** The reader did not answer a feature report in time (node-hid would otherwise wait for ever). */
class PcProxHungError extends Error {}

/**
 * RF IDeas pcProx in raw mode over node-hid feature reports (see pcprox-protocol.ts). It polls the card
 * buffer, emits a tap when a card (or a different card) appears and 'removed' when the buffer empties,
 * which makes it presence-capable. A transfer failure (unplug) ends the session with 'detached'; a reader
 * that stops answering is closed with an error of scope 'reader'. The reader manager reopens it either way.
 */
export class PcProxReader implements BadgeReader {
  readonly id: string;
  private readonly hub = new ReaderEventHub();
  private transport: HidTransport | undefined;
  private cancelPoll: (() => void) | undefined;
  /**
   * What is in the field now, so a held card is reported once and a bad read once: the canonical id of the
   * card that tapped (for its removal), or the reason its read was refused. Raw buffers are not kept.
   */
  private present: { badgeId: string } | { refused: string } | undefined;
  private generation = 0;

  constructor(private readonly options: PcProxReaderOptions) {
    this.id = options.id;
  }

  onEvent(listener: BadgeReaderListener): () => void {
    return this.hub.on(listener);
  }

  async start(): Promise<void> {
    if (this.transport) return;
    const device = await findHidDevice(this.options.backend, this.options.match);
    const transport = await this.options.backend.open(device.path);
    try {
      const page0 = await this.exchange(transport, PCPROX_CMD_CONFIG_PAGE0);
      const { lead, trail } = strippedParityBits(page0);
      if (lead !== 0 || trail !== 0) {
        throw new Error(
          `The pcProx reader ${this.id} strips card parity bits (lead ${lead}, trail ${trail}), so CareShell cannot ` +
            'check reads. Set iLeadParityBitCnt and iTrailParityBitCnt to 0 with the RF IDeas configuration utility ' +
            '(see docs/readers.md), then reconnect the reader.',
        );
      }
    } catch (error) {
      // A hung device may not close either: never wait for it.
      const closing = transport.close().catch(() => undefined);
      if (!(error instanceof PcProxHungError)) await closing;
      throw error;
    }
    this.transport = transport;
    this.present = undefined;
    transport.on('error', () => void this.lose());
    this.hub.emit({
      kind: 'attached',
      readerId: this.id,
      description: `${this.options.description} (${describeMatch(this.options.match)})`,
    });
    this.schedulePoll(++this.generation);
  }

  async stop(): Promise<void> {
    const transport = this.transport;
    if (!transport) return;
    this.detach();
    await transport.close().catch(() => undefined);
    this.hub.emit({ kind: 'detached', readerId: this.id });
  }

  private detach(): void {
    this.generation++;
    this.cancelPoll?.();
    this.cancelPoll = undefined;
    this.transport?.removeAllListeners();
    this.transport = undefined;
  }

  /** The device stopped answering: most often it was unplugged. */
  private async lose(): Promise<void> {
    if (!this.transport) return;
    await this.stop();
  }

  /** The device accepts no more transfers but is still there: close it without waiting, and say so. */
  private hang(error: PcProxHungError): void {
    const transport = this.transport;
    if (!transport) return;
    this.detach();
    void transport.close().catch(() => undefined);
    this.hub.emit({ kind: 'error', readerId: this.id, message: error.message, scope: 'reader' });
  }

  private schedulePoll(generation: number): void {
    this.cancelPoll = this.options.clock.setTimer(this.options.pollIntervalMs, () => {
      void this.poll(generation);
    });
  }

  private async poll(generation: number): Promise<void> {
    const transport = this.transport;
    if (!transport || generation !== this.generation) return;
    try {
      await this.readCard(transport);
    } catch (error) {
      if (generation !== this.generation) return;
      if (error instanceof PcProxHungError) this.hang(error);
      else await this.lose();
      return;
    }
    if (generation === this.generation) this.schedulePoll(generation);
  }

  /** Reads buffer 0 then buffer 1 (0x8f must come first, or 0x8e is never filled: pcprox.py get_tag). */
  private async readCard(transport: HidTransport): Promise<void> {
    const data = await this.exchange(transport, PCPROX_CMD_CARD_DATA);
    if (isEmptyReport(data)) {
      const left = this.present;
      this.present = undefined;
      if (left && 'badgeId' in left) this.hub.emit({ kind: 'removed', readerId: this.id, badgeId: left.badgeId });
      return;
    }
    const bits = await this.exchange(transport, PCPROX_CMD_CARD_BITS);
    const result = decodePcProxCard(data, bits);
    if (result.ok) {
      const { badgeId, format } = canonicalFromWiegand(result.card);
      if (this.present && 'badgeId' in this.present && this.present.badgeId === badgeId) return;
      this.present = { badgeId };
      this.hub.emit({ kind: 'tap', readerId: this.id, badgeId, format });
    } else {
      if (this.present && 'refused' in this.present && this.present.refused === result.reason) return;
      this.present = { refused: result.reason };
      this.hub.emit({
        kind: 'error',
        readerId: this.id,
        message: `Badge not accepted: ${result.reason}. Tap the badge again.`,
        scope: 'read',
      });
    }
  }

  /** Writes a command, waits as pcprox.py does, reads the answer; all within PCPROX_ANSWER_TIMEOUT_MS. */
  private async exchange(transport: HidTransport, command: number): Promise<Buffer> {
    const { clock } = this.options;
    const sleep = (ms: number) => new Promise<void>((resolve) => clock.setTimer(ms, resolve));
    const transfer = (async () => {
      await transport.sendFeatureReport(pcproxCommand(command));
      await sleep(PCPROX_COMMAND_SETTLE_MS);
      return transport.getFeatureReport(0, PCPROX_REPORT_BYTES + 1);
    })();
    let cancelTimeout = () => {};
    const timeout = new Promise<never>((_resolve, reject) => {
      cancelTimeout = clock.setTimer(PCPROX_ANSWER_TIMEOUT_MS, () =>
        reject(
          new PcProxHungError(
            `The pcProx reader ${this.id} stopped answering (no reply to USB command 0x${command.toString(16)} within ` +
              `${PCPROX_ANSWER_TIMEOUT_MS / 1000} s). CareShell reopens it automatically; if this keeps happening, ` +
              're-plug the reader or connect it directly instead of through a USB hub.',
          ),
        ),
      );
    });
    transfer.catch(() => undefined); // a transfer that fails after the timeout has nobody to tell
    let answer: Buffer;
    try {
      answer = await Promise.race([transfer, timeout]);
    } finally {
      cancelTimeout();
    }
    const payload = pcproxPayload(answer);
    if (!payload) {
      throw new Error(`unexpected ${answer.length}-byte answer to pcProx command 0x${command.toString(16)}`);
    }
    return payload;
  }
}
