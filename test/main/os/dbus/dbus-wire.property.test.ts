import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeMessage,
  DbusWireError,
  encodeMessage,
  messageLength,
  type DbusValue,
} from '../../../../main/os/dbus/dbus-wire.js';
import { propertiesChanged as signal } from '../support/properties-changed.js';

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
});
