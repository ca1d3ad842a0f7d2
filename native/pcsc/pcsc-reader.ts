import type { BadgeReader, BadgeReaderListener } from '../badge-reader.js';
import { ReaderEventHub } from '../reader-event-hub.js';
import type { PcscCardReader, PcscContext, PcscFactory } from './pcsc-binding.js';
import { GET_UID_APDU, GET_UID_RESPONSE_MAX, parseGetUidResponse } from './pcsc-uid.js';

export interface PcscReaderOptions {
  id: string;
  description: string;
  /** Use the first PC/SC reader whose name contains this (e.g. "OMNIKEY 5022"); any reader if absent. */
  readerName?: string | undefined;
  loadBinding: () => Promise<PcscFactory>;
}

/**
 * PC/SC contactless reader (e.g. HID OMNIKEY): on card arrival it connects, sends FF CA 00 00 00 and
 * reports `uid:<hex>` if the answer ends with 90 00; card removal is reported (presence-capable). The PC/SC
 * service announces readers as they are plugged in, so hot-plug needs no polling here: 'attached' comes
 * when a matching reader appears, 'detached' when it goes ('end'). When the service or the reader fails,
 * the driver closes its context and reports an error of scope 'reader'; the reader manager reopens it with
 * backoff (a new context, which announces the readers again).
 */
export class PcscReader implements BadgeReader {
  readonly id: string;
  private readonly hub = new ReaderEventHub();
  private context: PcscContext | undefined;
  private active: PcscCardReader | undefined;
  /** The reader's last reported state; undefined until its first status after attach. */
  private lastState: number | undefined;
  /** Canonical id of the card that tapped and is still in the field, so its removal can name it. */
  private present: string | undefined;

  constructor(private readonly options: PcscReaderOptions) {
    this.id = options.id;
  }

  onEvent(listener: BadgeReaderListener): () => void {
    return this.hub.on(listener);
  }

  /** Throws (with what to install) when the optional PC/SC binding is missing. */
  async start(): Promise<void> {
    if (this.context) return;
    const factory = await this.options.loadBinding();
    const context = factory();
    this.context = context;
    context.on('reader', (reader) => this.context === context && this.onReader(reader));
    context.on('error', (error) => {
      if (this.context !== context) return;
      this.fail(
        `The PC/SC service reported a problem (${error.message}). Check that the PC/SC service (pcscd / Smart Card) is running; CareShell keeps trying to reconnect.`,
      );
    });
  }

  async stop(): Promise<void> {
    const wasActive = this.close();
    if (wasActive) this.hub.emit({ kind: 'detached', readerId: this.id });
  }

  /** Closes the context; returns whether a reader was attached. */
  private close(): boolean {
    const context = this.context;
    if (!context) return false;
    this.context = undefined;
    const wasActive = this.active !== undefined;
    this.active?.close();
    this.active = undefined;
    context.close();
    return wasActive;
  }

  private fail(message: string): void {
    this.close();
    this.hub.emit({ kind: 'error', readerId: this.id, message, scope: 'reader' });
  }

  private onReader(reader: PcscCardReader): void {
    if (this.active) return;
    if (this.options.readerName !== undefined && !reader.name.includes(this.options.readerName)) return;
    this.active = reader;
    this.lastState = undefined;
    this.present = undefined;
    reader.on('status', (status) => this.onStatus(reader, status.state));
    reader.on('error', (error) => {
      if (this.active !== reader) return;
      this.fail(
        `The PC/SC reader "${reader.name}" failed (${error.message}). CareShell keeps trying to reconnect; if it does not come back, re-plug the reader.`,
      );
    });
    reader.on('end', () => {
      if (this.active !== reader) return;
      this.active = undefined;
      this.hub.emit({ kind: 'detached', readerId: this.id });
    });
    this.hub.emit({ kind: 'attached', readerId: this.id, description: `${this.options.description} (${reader.name})` });
  }

  private onStatus(reader: PcscCardReader, state: number): void {
    if (this.active !== reader) return;
    const previous = this.lastState;
    this.lastState = state;
    // The first status after attach only says what is there: nothing left the field. A card already
    // lying on the reader is read like one that just arrived.
    const changes = previous === undefined ? state & reader.SCARD_STATE_PRESENT : previous ^ state;
    if (changes & reader.SCARD_STATE_EMPTY && state & reader.SCARD_STATE_EMPTY) {
      const badgeId = this.present;
      this.present = undefined;
      if (badgeId !== undefined) this.hub.emit({ kind: 'removed', readerId: this.id, badgeId });
    } else if (changes & reader.SCARD_STATE_PRESENT && state & reader.SCARD_STATE_PRESENT) {
      this.readUid(reader);
    }
  }

  private readUid(reader: PcscCardReader): void {
    reader.connect({ share_mode: reader.SCARD_SHARE_SHARED }, (connectError, protocol) => {
      if (connectError) {
        this.readError(
          `Could not talk to the card on "${reader.name}" (${connectError.message}). Tap the badge again.`,
        );
        return;
      }
      reader.transmit(GET_UID_APDU, GET_UID_RESPONSE_MAX, protocol, (transmitError, response) => {
        reader.disconnect(reader.SCARD_LEAVE_CARD, () => undefined);
        if (transmitError) {
          this.readError(
            `Reading the card UID on "${reader.name}" failed (${transmitError.message}). Tap the badge again.`,
          );
          return;
        }
        const result = parseGetUidResponse(response);
        if (!result.ok) {
          this.readError(`Badge not accepted: ${result.reason}.`);
          return;
        }
        // Remembered for its removal only while the card is still in the field.
        if (this.active === reader && this.lastState !== undefined && this.lastState & reader.SCARD_STATE_PRESENT)
          this.present = result.badge.badgeId;
        this.hub.emit({ kind: 'tap', readerId: this.id, ...result.badge });
      });
    });
  }

  private readError(message: string): void {
    this.hub.emit({ kind: 'error', readerId: this.id, message, scope: 'read' });
  }
}
