import { EventEmitter } from 'node:events';
import type { PcscCardReader, PcscContext } from '../../native/pcsc/pcsc-binding.js';

/*
 * In-memory stand-ins for the @pokusew/pcsclite binding, shared by the reader tests (test/native) and the
 * reader benchmark.
 */

/** A fake card reader: constants as in PC/SC, callbacks answered at once with `response`. */
export class FakeCardReader extends EventEmitter implements PcscCardReader {
  SCARD_STATE_EMPTY = 0x10;
  SCARD_STATE_PRESENT = 0x20;
  SCARD_SHARE_SHARED = 2;
  SCARD_LEAVE_CARD = 0;
  transmitted: Buffer[] = [];
  response: Buffer = Buffer.alloc(0);
  disconnects = 0;
  constructor(public name: string) {
    super();
  }
  connect(_options: { share_mode: number }, callback: (error: Error | null, protocol: number) => void): void {
    callback(null, 2);
  }
  transmit(
    data: Buffer,
    _len: number,
    _protocol: number,
    callback: (error: Error | null, response: Buffer) => void,
  ): void {
    this.transmitted.push(data);
    callback(null, this.response);
  }
  disconnect(_disposition: number, callback: () => void): void {
    this.disconnects++;
    callback();
  }
  close(): void {}
}

/** A fake PC/SC context: the test announces readers ('reader') and service failures ('error'). */
export function fakePcscContext(): EventEmitter & PcscContext {
  return Object.assign(new EventEmitter(), { close: () => undefined });
}
