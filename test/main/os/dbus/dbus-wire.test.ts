import { execFile } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DbusConnection } from '../../../../main/os/dbus/dbus-connection.js';
import {
  decodeMessage,
  DbusWireError,
  encodeMessage,
  messageLength,
  MessageType,
  splitSignature,
  type DbusMessage,
  type DbusValue,
} from '../../../../main/os/dbus/dbus-wire.js';
import { dbusMissingReason, startFakeLogind, startPrivateBus } from '../support/private-bus.js';

const missing = dbusMissingReason();
if (missing) console.log(`skipping the D-Bus interoperability tests: ${missing}`);

const signal = (signature: string, body: DbusValue[]): DbusMessage => ({
  type: MessageType.signal,
  flags: 1,
  serial: 7,
  path: '/org/freedesktop/login1/session/_31',
  interface: 'org.freedesktop.DBus.Properties',
  member: 'PropertiesChanged',
  signature,
  body,
});

/** A D-Bus type and a value of it, nested up to a few levels. */
const typed: fc.Arbitrary<{ type: string; value: DbusValue }> = fc.letrec<{ node: { type: string; value: DbusValue } }>(
  (tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.integer({ min: 0, max: 255 }).map((value) => ({ type: 'y', value })),
      fc.boolean().map((value) => ({ type: 'b', value })),
      fc.integer({ min: -32768, max: 32767 }).map((value) => ({ type: 'n', value })),
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((value) => ({ type: 'i', value })),
      fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((value) => ({ type: 'u', value })),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((value) => ({ type: 't', value })),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value) => ({ type: 'x', value })),
      fc.double({ noNaN: true }).map((value) => ({ type: 'd', value })),
      fc.string({ unit: 'grapheme', maxLength: 20 }).map((value) => ({ type: 's', value })),
      tie('node').map((inner) => ({ type: 'v', value: { signature: inner.type, value: inner.value } })),
      fc.tuple(tie('node'), tie('node')).map(([a, b]) => ({ type: `(${a.type}${b.type})`, value: [a.value, b.value] })),
      // An array holds values of one type: the first element's type, and values drawn again for that type are not
      // easy to generate, so an array here repeats one value (lengths and padding are what matter).
      fc
        .tuple(tie('node'), fc.integer({ min: 0, max: 3 }))
        .map(([item, n]) => ({ type: `a${item.type}`, value: Array.from({ length: n }, () => item.value) })),
      fc.tuple(fc.string({ maxLength: 8 }), tie('node'), fc.integer({ min: 0, max: 2 })).map(([key, item, n]) => ({
        type: `a{sv}`,
        value: Array.from({ length: n }, (_, i) => [`${key}${i}`, { signature: item.type, value: item.value }]),
      })),
    ),
  }),
).node;

describe('the D-Bus wire format', () => {
  it('reads back what it writes, for any mix of types and alignments (20,000 messages)', () => {
    fc.assert(
      fc.property(fc.array(typed, { maxLength: 4 }), (fields) => {
        const message = signal(
          fields.map((f) => f.type).join(''),
          fields.map((f) => f.value),
        );
        const bytes = encodeMessage(message);
        expect(messageLength(bytes)).toBe(bytes.length);
        expect(messageLength(bytes.subarray(0, bytes.length - 1))).toBeUndefined();
        expect(decodeMessage(bytes)).toEqual(message);
      }),
      { numRuns: 20_000 },
    );
  });

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

  it('refuses malformed input with a DbusWireError, never anything else (100,000 mutated and random messages)', () => {
    const valid = encodeMessage(
      signal('sa{sv}as', [
        'org.freedesktop.login1.Session',
        [
          ['LockedHint', { signature: 'b', value: true }],
          ['IdleSinceHint', { signature: 't', value: 5n }],
        ],
        ['Name'],
      ]),
    );
    const decodeOrRefuse = (bytes: Uint8Array) => {
      try {
        const length = messageLength(bytes);
        if (length !== undefined) decodeMessage(bytes.subarray(0, length));
      } catch (error) {
        expect(error).toBeInstanceOf(DbusWireError);
      }
    };
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (flips) => {
          const bytes = valid.slice();
          for (const [at, byte] of flips) bytes[at] = byte;
          decodeOrRefuse(bytes);
        },
      ),
      { numRuns: 80_000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 200 }), (bytes) => {
        bytes[0] = 0x6c;
        bytes[3] = 1;
        decodeOrRefuse(bytes);
      }),
      { numRuns: 20_000 },
    );
  });

  it('names what is wrong with a signature', () => {
    expect(splitSignature('sa{sv}as')).toEqual(['s', 'a{sv}', 'as']);
    expect(() => splitSignature('a{sv')).toThrow('signature "a{sv" has an unclosed "{"');
    expect(() => splitSignature('sz')).toThrow('unknown type code "z"');
    expect(() => encodeMessage(signal('s', [3]))).toThrow('cannot write 3 as "s"');
  });
});

describe.skipIf(missing !== undefined)('interoperability with GLib gdbus through a real dbus-daemon', () => {
  it("answers GLib's call to the fake logind and decodes the PropertiesChanged GLib emits", async () => {
    const bus = await startPrivateBus();
    const env = { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: bus.address };
    // Not spawnSync: the fake logind answers from this process, so its event loop must keep running.
    const gdbus = (...args: string[]) =>
      new Promise<{ stdout: string; stderr: string }>((resolve) =>
        execFile('gdbus', args, { env, timeout: 10_000 }, (_error, stdout, stderr) => resolve({ stdout, stderr })),
      );
    const logind = await startFakeLogind(bus.address, {
      sessionFor: (pid) => (pid === 4242 ? '/org/freedesktop/login1/session/c2' : undefined),
    });
    const observer = await DbusConnection.open(bus.address);
    try {
      const call = await gdbus(
        'call',
        '--system',
        '--dest',
        'org.freedesktop.login1',
        '--object-path',
        '/org/freedesktop/login1',
        '--method',
        'org.freedesktop.login1.Manager.GetSessionByPID',
        '4242',
      );
      expect(call.stderr).toBe('');
      expect(call.stdout.trim()).toBe("(objectpath '/org/freedesktop/login1/session/c2',)");

      const refused = await gdbus(
        'call',
        '--system',
        '--dest',
        'org.freedesktop.login1',
        '--object-path',
        '/org/freedesktop/login1',
        '--method',
        'org.freedesktop.login1.Manager.GetSessionByPID',
        '1',
      );
      expect(refused.stderr).toContain('org.freedesktop.login1.NoSessionForPID');

      await observer.addMatch({ type: 'signal', member: 'PropertiesChanged' });
      const received = new Promise<DbusMessage>((resolve) =>
        observer.on('message', (m) => m.member === 'PropertiesChanged' && resolve(m)),
      );
      const emit = await gdbus(
        'emit',
        '--system',
        '--object-path',
        '/org/freedesktop/login1/session/c2',
        '--signal',
        'org.freedesktop.DBus.Properties.PropertiesChanged',
        "'org.freedesktop.login1.Session'",
        "{'LockedHint': <true>, 'IdleSinceHint': <uint64 1700000000000000>, 'Seat': <('seat0', objectpath '/org/freedesktop/login1/seat/seat0')>, 'Type': <'x11'>}",
        "['Name', 'Über']",
      );
      expect(emit.stderr).toBe('');
      const message = await received;
      expect(message.signature).toBe('sa{sv}as');
      expect(message.body).toEqual([
        'org.freedesktop.login1.Session',
        [
          ['LockedHint', { signature: 'b', value: true }],
          ['IdleSinceHint', { signature: 't', value: 1_700_000_000_000_000n }],
          ['Seat', { signature: '(so)', value: ['seat0', '/org/freedesktop/login1/seat/seat0'] }],
          ['Type', { signature: 's', value: 'x11' }],
        ],
        ['Name', 'Über'],
      ]);
    } finally {
      observer.close();
      logind.close();
      await bus.close();
    }
  });
});
