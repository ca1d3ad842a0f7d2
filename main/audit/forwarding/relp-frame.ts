/**
 * RELP framing (librelp doc/relp.md, "RELP FRAME"): `TXNR SP COMMAND SP DATALEN [SP DATA] LF`, TXNR and DATALEN
 * 1-9 digits, COMMAND 1-32 letters. The parser is strict, as the spec asks of a peer that finds a framing error:
 * anything else is a `RelpProtocolError` (the caller drops the connection), never a crash or a guess.
 */

export interface RelpFrame {
  txnr: number;
  command: string;
  data: Buffer;
}

export class RelpProtocolError extends Error {}

/** The highest transaction number; the one after it is 1 again (0 is reserved for hints). */
export const MAX_TXNR = 999_999_999;

export function nextTxnr(txnr: number): number {
  return txnr >= MAX_TXNR ? 1 : txnr + 1;
}

export function encodeRelpFrame(txnr: number, command: string, data: Buffer = Buffer.alloc(0)): Buffer {
  const header = `${txnr} ${command} ${data.length}`;
  return data.length === 0
    ? Buffer.from(`${header}\n`, 'ascii')
    : Buffer.concat([Buffer.from(`${header} `, 'ascii'), data, Buffer.from('\n', 'ascii')]);
}

const SP = 0x20;
const LF = 0x0a;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isAlpha = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/**
 * Reads frames from a byte stream in any chunking. `maxDataBytes` bounds what a peer can make us buffer
 * (a collector's answers are a few hundred bytes; librelp's own limit is 128 KiB).
 */
export class RelpFrameParser {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly maxDataBytes: number) {}

  push(chunk: Buffer): RelpFrame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: RelpFrame[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) return frames;
      frames.push(frame);
    }
  }

  /** One complete frame off the front of the buffer, or undefined when more bytes are needed. */
  private next(): RelpFrame | undefined {
    const buf = this.pending;
    let at = 0;
    const field = (accept: (c: number) => boolean, max: number, what: string): string | undefined => {
      const start = at;
      while (at < buf.length && accept(buf[at]!)) {
        if (at - start === max) throw new RelpProtocolError(`${what} longer than ${max} characters`);
        at++;
      }
      if (at === buf.length) return undefined;
      if (at === start) throw new RelpProtocolError(`expected ${what}, found byte 0x${buf[at]!.toString(16)}`);
      return buf.toString('ascii', start, at);
    };
    const txnr = field(isDigit, 9, 'a transaction number');
    if (txnr === undefined) return undefined;
    if (buf[at++] !== SP) throw new RelpProtocolError('expected a space after the transaction number');
    const command = field(isAlpha, 32, 'a command');
    if (command === undefined) return undefined;
    if (buf[at++] !== SP) throw new RelpProtocolError(`expected a space after the command "${command}"`);
    const lengthText = field(isDigit, 9, 'a data length');
    if (lengthText === undefined) return undefined;
    const length = Number(lengthText);
    if (length > this.maxDataBytes) {
      throw new RelpProtocolError(
        `a "${command}" frame of ${length} bytes, more than the ${this.maxDataBytes} allowed`,
      );
    }
    let data = Buffer.alloc(0);
    if (length > 0) {
      if (buf[at++] !== SP) throw new RelpProtocolError('expected a space before the data');
      if (buf.length < at + length + 1) return undefined;
      data = Buffer.from(buf.subarray(at, at + length));
      at += length;
    }
    if (at >= buf.length) return undefined;
    if (buf[at++] !== LF) throw new RelpProtocolError(`the "${command}" frame does not end with LF`);
    this.pending = buf.subarray(at);
    return { txnr: Number(txnr), command, data };
  }
}

export interface RelpResponse {
  /** 200 is OK; anything else is a refusal. */
  code: number;
  message: string;
  /** The command-specific part after the first LF (the server's offers, for `open`). */
  body: string;
}

/** The data of a `rsp` frame: `CODE [SP HUMANMSG] [LF CMDDATA]`. */
export function parseRelpResponse(data: Buffer): RelpResponse {
  const text = data.toString('utf8');
  const match = /^(\d{3})(?: ([^\n]*))?(?:\n([\s\S]*))?$/.exec(text);
  if (!match) throw new RelpProtocolError(`a response that does not start with a 3-digit code: "${text.slice(0, 80)}"`);
  return { code: Number(match[1]), message: match[2] ?? '', body: match[3] ?? '' };
}

/** Offers, one per line: `name[=value[,value...]]` (the `open` command and its answer). */
export function parseRelpOffers(body: string): Map<string, string[]> {
  const offers = new Map<string, string[]>();
  for (const line of body.split('\n')) {
    if (line === '') continue;
    const eq = line.indexOf('=');
    const name = eq === -1 ? line : line.slice(0, eq);
    if (name.length === 0 || name.length > 32) throw new RelpProtocolError(`a malformed offer "${line.slice(0, 80)}"`);
    offers.set(name, eq === -1 ? [] : line.slice(eq + 1).split(','));
  }
  return offers;
}
