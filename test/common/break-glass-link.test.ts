import { describe, expect, it } from 'vitest';
import { breakGlassLink, parseBreakGlassLink } from '../../common/break-glass-link.js';

const link = {
  ehr: 'http://127.0.0.1:4100',
  patient: 'Patient/p-1005',
  restrictions: ['other-unit' as const, 'confidential' as const],
  chart: 'http://127.0.0.1:4100/patients/p-1005',
};

describe('break-glass link', () => {
  it('is a careshell: URL that reads back to what was written', () => {
    const href = breakGlassLink(link);
    expect(href).toBe(
      'careshell:break-glass?ehr=http%3A%2F%2F127.0.0.1%3A4100&patient=Patient%2Fp-1005&restrictions=other-unit%2Cconfidential&chart=http%3A%2F%2F127.0.0.1%3A4100%2Fpatients%2Fp-1005',
    );
    expect(parseBreakGlassLink(href)).toEqual(link);
  });

  it.each([
    ['another scheme', 'https://evil.test/break-glass?x=1', /Not a break-glass link/],
    [
      'a chart on another origin',
      breakGlassLink({ ...link, chart: 'http://evil.test/patients/p-1005' }),
      /chart must be on the ehr origin/,
    ],
    ['an unknown restriction', breakGlassLink(link).replace('confidential', 'curious'), /restrictions/],
    ['a non-patient reference', breakGlassLink({ ...link, patient: 'Practitioner/x' }), /patient must be/],
    ['an ehr with a path', breakGlassLink({ ...link, ehr: 'http://127.0.0.1:4100/x' }), /bare origin/],
  ])('refuses %s', (_, href, message) => {
    expect(() => parseBreakGlassLink(href)).toThrow(message);
  });
});
