import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { auditSearchSchema } from './access-log.js';
import { isOpen } from './access-rules.js';
import type { Chart } from './chart-directory.js';
import type { EhrContext } from './ehr-context.js';
import { RESOURCE_SCHEMAS, type AnyResource } from './fhir-resources.js';
import { sendJson } from './http-kit.js';
import type { IdentityClaims } from './idp-client.js';

/**
 * The FHIR R4 REST face of the EHR under /fhir: reads (`[type]/[id]`), patient-compartment searches
 * (`[type]?patient=Patient/[id]`) with the same access rules as the chart pages, and the access log as
 * `AuditEvent` searches for the privacy officer.
 */

const FHIR_JSON = 'application/fhir+json';
export const PRIVACY_OFFICER_ROLE = 'privacy-officer';

function outcome(
  res: ServerResponse,
  status: number,
  code: string,
  diagnostics: string,
  headers: Record<string, string> = {},
): void {
  sendJson(
    res,
    status,
    { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] },
    FHIR_JSON,
    headers,
  );
}

function bundle(ctx: EhrContext, resources: object[]): object {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    timestamp: ctx.clock.wallTime().toISOString(),
    total: resources.length,
    entry: resources.map((resource) => ({
      fullUrl: `${ctx.origin}/fhir/${(resource as AnyResource).resourceType}/${(resource as AnyResource).id}`,
      resource,
      search: { mode: 'match' },
    })),
  };
}

/** Query parameters as arrays (FHIR repeats a parameter to AND it). */
function queryOf(url: URL): Record<string, string[]> {
  const query: Record<string, string[]> = {};
  for (const [key, value] of url.searchParams) (query[key] ??= []).push(value);
  return query;
}

/** Serves the chart's resources if the user may open it; answers 403 with the break-glass link otherwise. */
function serveFromChart(
  ctx: EhrContext,
  res: ServerResponse,
  user: IdentityClaims,
  chart: Chart,
  what: string,
  body: () => object,
): void {
  const access = ctx.openChart(user, chart, what);
  if (isOpen(access)) {
    sendJson(res, 200, body(), FHIR_JSON);
    return;
  }
  const href = ctx.breakGlassHref(access, chart);
  outcome(
    res,
    403,
    'forbidden',
    href ? `Restricted chart. Break-glass: ${href}` : 'Restricted chart. Your role has no access to patient charts.',
    href ? { link: `<${href}>; rel="break-glass"` } : {},
  );
}

export async function handleFhir(ctx: EhrContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (req.method !== 'GET') {
    outcome(res, 405, 'not-supported', 'This demo FHIR server is read-only: use GET.');
    return;
  }
  const user = await ctx.requestUser(req, true);
  if (!user) {
    outcome(res, 401, 'login', 'Sign in to the EHR or send Authorization: Bearer <access token>.', {
      'www-authenticate': 'Bearer',
    });
    return;
  }
  const [type = '', id, ...rest] = url.pathname.slice('/fhir/'.length).split('/');
  if (type === 'AuditEvent' && id === undefined) {
    if (!user.roles.includes(PRIVACY_OFFICER_ROLE)) {
      outcome(res, 403, 'forbidden', 'Only a privacy officer may read the access log.');
      return;
    }
    const query = auditSearchSchema.safeParse(queryOf(url));
    if (!query.success) {
      outcome(
        res,
        400,
        'invalid',
        `Unsupported AuditEvent search: ${z.prettifyError(query.error)}. Supported: patient, agent, date, outcome, policy.`,
      );
      return;
    }
    sendJson(res, 200, bundle(ctx, ctx.log.search(query.data)), FHIR_JSON);
    return;
  }
  if (!(type in RESOURCE_SCHEMAS) || rest.length > 0) {
    outcome(
      res,
      404,
      'not-found',
      `No such endpoint: ${url.pathname}. Serves ${Object.keys(RESOURCE_SCHEMAS).join(', ')} and AuditEvent.`,
    );
    return;
  }
  if (id !== undefined) {
    const found = ctx.directory.find(type, decodeURIComponent(id));
    if (!found) {
      outcome(res, 404, 'not-found', `${type}/${id} does not exist.`);
      return;
    }
    const chart = found.patientId === undefined ? undefined : ctx.directory.chart(found.patientId);
    if (!chart) sendJson(res, 200, found.resource, FHIR_JSON);
    else serveFromChart(ctx, res, user, chart, `${type}/${id}`, () => found.resource);
    return;
  }
  const patientParam = url.searchParams.get(type === 'Patient' ? '_id' : 'patient') ?? '';
  const chart = ctx.directory.chart(patientParam.replace(/^Patient\//, ''));
  if (!chart) {
    outcome(
      res,
      400,
      'invalid',
      `Search ${type} within one patient: ?${type === 'Patient' ? '_id=<id>' : 'patient=Patient/<id>'}.`,
    );
    return;
  }
  serveFromChart(ctx, res, user, chart, `${type}?${url.searchParams.toString()}`, () =>
    bundle(
      ctx,
      chart.resources.filter((r) => r.resourceType === type),
    ),
  );
}
