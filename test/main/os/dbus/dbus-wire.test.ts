import { describe, expect, it } from 'vitest';
import { encodeMessage, splitSignature } from '../../../../main/os/dbus/dbus-wire.js';
import { propertiesChanged as signal } from '../support/properties-changed.js';

// Round trips and malformed input over many generated messages: dbus-wire.property.test.ts.
describe('the D-Bus wire format', () => {
  it('writes the bytes the specification describes for a PropertiesChanged signal', () => {
    const bytes = encodeMessage(
      signal('sa{sv}as', ['org.freedesktop.login1.Session', [['LockedHint', { signature: 'b', value: true }]], []]),
    );
    const hex = Buffer.from(bytes).toString('hex');
    // 'l', signal, no-reply flag, version 1; then the body length (the body starts 8-aligned after the header).
    expect(hex.slice(0, 8)).toBe('6c040101');
    const body = bytes.subarray(bytes.length - new DataView(bytes.buffer).getUint32(4, true));
    expect(Buffer.from(body).toString('hex')).toBe(
      [
        '1e000000',
        Buffer.from('org.freedesktop.login1.Session\0').toString('hex'),
        '00', // s, then pad to 4
        '18000000', // a{sv}: 24 bytes; its first entry is already 8-aligned (offset 40)
        '0a000000',
        Buffer.from('LockedHint\0').toString('hex'),
        '01',
        '6200',
        '0000',
        '01000000', // key, variant "b", pad to 4, true
        '00000000', // as: empty
      ].join(''),
    );
  });

  it('names what is wrong with a signature', () => {
    expect(splitSignature('sa{sv}as')).toEqual(['s', 'a{sv}', 'as']);
    expect(() => splitSignature('a{sv')).toThrow('signature "a{sv" has an unclosed "{"');
    expect(() => splitSignature('sz')).toThrow('unknown type code "z"');
    expect(() => encodeMessage(signal('s', [3]))).toThrow('cannot write 3 as "s"');
  });
});
