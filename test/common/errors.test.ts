import { describe, expect, it } from 'vitest';
import { assertNever, messageOf } from '../../common/errors.js';

describe('messageOf', () => {
  it('reads an Error message and stringifies anything else', () => {
    expect(messageOf(new TypeError('bad port'))).toBe('bad port');
    expect(messageOf('plain string')).toBe('plain string');
    expect(messageOf(42)).toBe('42');
    expect(messageOf(undefined)).toBe('undefined');
  });
});

describe('assertNever', () => {
  it('throws naming what it did not expect', () => {
    expect(() => assertNever('surprise' as never, 'input type')).toThrow('Unexpected input type: "surprise"');
  });
});
