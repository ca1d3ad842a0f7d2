import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { detailsText, policyCatalogue } from '../../../../main/policy/templates/policy-catalogue.js';

const schema = z.strictObject({
  version: z.literal(1),
  session: z.strictObject({ graceMinutes: z.number().int().min(0).max(480).optional() }).optional(),
  tags: z.array(z.string()).default([]),
  mode: z.enum(['a', 'b']).optional(),
  rules: z.array(z.strictObject({ id: z.string() })).optional(),
});
const texts = {
  version: { title: 'Version', description: 'The format.' },
  'session.graceMinutes': { title: 'Grace', description: 'Minutes kept.' },
  tags: { title: 'Tags', description: 'Labels.' },
  mode: { title: 'Mode', description: 'How.' },
  '*': { title: 'Anything', description: 'Matches one top-level key.' },
};

describe('policyCatalogue', () => {
  it('lists every key with its kind, range, text and default (schema default, else the defaults document)', () => {
    const entries = policyCatalogue({ schema, texts, defaults: { session: { graceMinutes: 20 } } });
    expect(entries.map((e) => [e.id, e.kind])).toEqual([
      ['version', 'integer'],
      ['session_graceMinutes', 'integer'],
      ['tags', 'list'],
      ['mode', 'enum'],
      ['rules', 'json'],
    ]);
    const grace = entries[1]!;
    expect(grace).toMatchObject({ minimum: 0, maximum: 480, defaultValue: 20, title: 'Grace' });
    expect(detailsText(grace)).toBe('Range: 0-480. Default: 20.');
    expect(detailsText(entries[3]!)).toBe('Values: a, b. Default: none.');
    expect(entries[2]!.defaultValue).toEqual([]);
    expect(entries[4]!.title).toBe('Anything');
  });

  it('refuses a key without text, and text for a key that does not exist', () => {
    const { mode: _mode, '*': _any, ...missing } = texts;
    expect(() => policyCatalogue({ schema, texts: missing, defaults: {} })).toThrow(/mode has no title/);
    expect(() =>
      policyCatalogue({ schema, texts: { ...texts, 'session.gone': { title: 'x', description: 'y' } }, defaults: {} }),
    ).toThrow(/keys that do not exist: session.gone/);
  });
});
