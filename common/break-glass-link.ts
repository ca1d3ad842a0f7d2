import { z } from 'zod';

/**
 * The link a restricted chart page offers: a plain `careshell:` URL the shell intercepts in its navigation handler,
 * so the EHR page never talks to the shell through script (docs/break-glass-api.md#the-break-glass-link):
 *
 *   careshell:break-glass?ehr=<EHR origin>&patient=Patient%2F<id>&restrictions=<r1,r2>&chart=<chart URL>
 */

/** Why an EHR refused a chart (its access rules, docs/break-glass-api.md#access-rules). */
export const RESTRICTIONS = ['other-unit', 'confidential', 'behavioural-health'] as const;
export type Restriction = (typeof RESTRICTIONS)[number];

export const BREAK_GLASS_SCHEME = 'careshell:';
export const BREAK_GLASS_PATH = 'break-glass';

export interface BreakGlassLink {
  /** Origin of the EHR that issues and enforces the grant (where its break-glass API lives). */
  ehr: string;
  /** "Patient/<id>" */
  patient: string;
  restrictions: Restriction[];
  /** The chart to reload once a grant is active; always on the `ehr` origin. */
  chart: string;
}

export function breakGlassLink(link: BreakGlassLink): string {
  const query = new URLSearchParams({
    ehr: link.ehr,
    patient: link.patient,
    restrictions: link.restrictions.join(','),
    chart: link.chart,
  });
  return `${BREAK_GLASS_SCHEME}${BREAK_GLASS_PATH}?${query.toString()}`;
}

const httpOrigin = z.url({ protocol: /^https?$/ }).refine((u) => new URL(u).origin === u, 'ehr must be a bare origin');
const linkSchema = z
  .strictObject({
    ehr: httpOrigin,
    patient: z.string().regex(/^Patient\/[A-Za-z0-9\-.]{1,64}$/, 'patient must be Patient/<id>'),
    restrictions: z
      .string()
      .transform((s) => s.split(','))
      .pipe(z.array(z.enum(RESTRICTIONS)).min(1)),
    chart: z.url({ protocol: /^https?$/ }),
  })
  .refine((l) => new URL(l.chart).origin === l.ehr, 'chart must be on the ehr origin');

/** Reads a break-glass link; throws a zod error naming what is wrong for anything else. */
export function parseBreakGlassLink(href: string): BreakGlassLink {
  const url = new URL(href);
  if (url.protocol !== BREAK_GLASS_SCHEME || url.pathname !== BREAK_GLASS_PATH) {
    throw new Error(`Not a break-glass link: ${url.protocol}${url.pathname}`);
  }
  return linkSchema.parse(Object.fromEntries(url.searchParams));
}
