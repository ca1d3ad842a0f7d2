import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeRelpFrame,
  MAX_TXNR,
  nextTxnr,
  parseRelpOffers,
  parseRelpResponse,
  RelpFrameParser,
  RelpProtocolError,
} from '../../../../main/audit/forwarding/relp-frame.js';

const frame = fc.record({
  txnr: fc.integer({ min: 0, max: MAX_TXNR }),
  command: fc.stringMatching(/^[A-Za-z]{1,32}$/),
  data: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
});

/** Splits `bytes` at the given cut points, as TCP may deliver them. */
function chunks(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    out.push(bytes.subarray(from, point));
    from = point;
  }
  return out;
}

describe('RELP framing', () => {
  it('reads back any sequence of frames, however the stream is cut into chunks', () => {
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 20 }), (frames, cuts) => {
        const parser = new RelpFrameParser(1024);
        const stream = Buffer.concat(frames.map((f) => encodeRelpFrame(f.txnr, f.command, f.data)));
        const parsed = chunks(stream, cuts).flatMap((chunk) => parser.push(chunk));
        expect(parsed).toEqual(frames);
      }),
    );
  });

  it('answers any byte stream with frames or a RelpProtocolError, never another exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.array(fc.nat(), { maxLength: 10 }), (bytes, cuts) => {
        const parser = new RelpFrameParser(64);
        try {
          for (const chunk of chunks(Buffer.from(bytes), cuts)) parser.push(chunk);
        } catch (error) {
          expect(error).toBeInstanceOf(RelpProtocolError);
        }
      }),
    );
  });

  it('refuses malformed frames, saying what is wrong', () => {
    const parse = (text: string) => () => new RelpFrameParser(100).push(Buffer.from(text, 'latin1'));
    expect(parse('x rsp 0\n')).toThrow(/expected a transaction number/);
    expect(parse('1234567890 rsp 0\n')).toThrow(/transaction number longer than 9/);
    expect(parse('1 r5p 0\n')).toThrow(/expected a space after the command/);
    expect(parse(`1 ${'a'.repeat(33)} 0\n`)).toThrow(/command longer than 32/);
    expect(parse('1 rsp 6 200 OKX')).toThrow(/does not end with LF/);
    expect(parse('1 rsp 3\n')).toThrow(/expected a space before the data/);
    expect(parse('1 rsp 101 ')).toThrow(/101 bytes, more than the 100 allowed/);
    expect(parse('1 rsp 0 \n')).toThrow(/does not end with LF/);
    // Incomplete is not wrong: the parser waits for more.
    expect(new RelpFrameParser(100).push(Buffer.from('12 rsp 6 200 O'))).toEqual([]);
  });

  it('parses answers and offers strictly', () => {
    expect(parseRelpResponse(Buffer.from('200 OK\nrelp_version=0\ncommands=syslog'))).toEqual({
      code: 200,
      message: 'OK',
      body: 'relp_version=0\ncommands=syslog',
    });
    expect(parseRelpResponse(Buffer.from('500 command disabled'))).toMatchObject({ code: 500 });
    expect(() => parseRelpResponse(Buffer.from('OK'))).toThrow(RelpProtocolError);
    expect(() => parseRelpResponse(Buffer.from('20 OK'))).toThrow(RelpProtocolError);
    expect(
      parseRelpOffers('relp_version=0\nrelp_software=librelp,1.11.0,http://librelp.adiscon.com\ncommands=syslog'),
    ).toEqual(
      new Map([
        ['relp_version', ['0']],
        ['relp_software', ['librelp', '1.11.0', 'http://librelp.adiscon.com']],
        ['commands', ['syslog']],
      ]),
    );
    expect(() => parseRelpOffers('=0')).toThrow(RelpProtocolError);
  });

  it('wraps the transaction number from 999,999,999 back to 1, never 0 (reserved for hints)', () => {
    expect(nextTxnr(0)).toBe(1);
    expect(nextTxnr(41)).toBe(42);
    expect(nextTxnr(MAX_TXNR)).toBe(1);
  });
});
