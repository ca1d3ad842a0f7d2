import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../../main/audit/journal/canonical-json.js';

// Round trip over generated JSON values: canonical-json.property.test.ts.
describe('canonicalJson', () => {
  it('sorts keys by code unit, leaves out undefined properties and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], ä: { z: 0, Z: -0 }, u: undefined })).toBe(
      '{"a":[true,null,"x"],"b":1,"ä":{"Z":0,"z":0}}',
    );
  });

  it('escapes strings as JSON.stringify does, lone surrogates included', () => {
    expect(canonicalJson('a"b\\c\n\u0001\ud800')).toBe('"a\\"b\\\\c\\n\\u0001\\ud800"');
  });

  it.each([
    [{ n: Number.NaN }, '$.n is NaN'],
    [{ n: Infinity }, '$.n is Infinity'],
    [{ d: new Date(0) }, '$.d is a Date'],
    [[1, undefined], '$[1] is undefined'],
    [{ b: 1n }, '$.b is a bigint'],
  ])('refuses values JSON cannot round-trip, naming the path (%o)', (value, message) => {
    expect(() => canonicalJson(value)).toThrow(message);
  });
});
