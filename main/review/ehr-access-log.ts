import { z } from 'zod';
import type { ChartOpen } from '../../common/break-glass-review.js';
import type { FhirRest } from './fhir-rest.js';

const accessBundleSchema = z.object({
  resourceType: z.literal('Bundle'),
  entry: z
    .array(
      z.object({
        resource: z.object({
          recorded: z.string(),
          outcome: z.string().optional(),
          entity: z
            .array(
              z.object({ what: z.object({ reference: z.string() }).optional(), description: z.string().optional() }),
            )
            .default([]),
        }),
      }),
    )
    .default([]),
});

/**
 * The charts opened under one grant, from the EHR's own access log (docs/break-glass-api.md#access-log):
 * `GET <ehr>/fhir/AuditEvent?policy=<grant URL>` with the privacy officer's token, oldest first.
 */
export async function chartsOpenedUnder(
  rest: FhirRest,
  ehr: string,
  grantId: string,
  token: string,
): Promise<ChartOpen[]> {
  const url = new URL('/fhir/AuditEvent', ehr);
  url.searchParams.set('policy', `${new URL(ehr).origin}/break-glass/grants/${grantId}`);
  const parsed = accessBundleSchema.safeParse(await rest.get(url, token));
  if (!parsed.success) throw new Error(`the EHR at ${url.origin} did not answer a FHIR Bundle of AuditEvents`);
  return parsed.data.entry
    .map(({ resource }) => ({
      patient: resource.entity[0]?.what?.reference ?? 'unknown patient',
      what: resource.entity[0]?.description ?? 'chart',
      at: resource.recorded,
      opened: resource.outcome === '0',
    }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
