import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { mayBreakGlass } from './access-rules.js';
import type { EhrContext } from './ehr-context.js';
import { apiError, serveGrants } from './grant-api-kit.js';
import type { Grant, GrantLimits } from './grant-store.js';
import { HttpError, readJsonBody, sendJson } from './http-kit.js';
import type { IdentityClaims } from './idp-client.js';

/**
 * The break-glass grant API (docs/break-glass-api.md#endpoints): activate, read and end grants with the holder's
 * own bearer access token. Every body is validated, and a grant is visible only to its holder (anyone else gets
 * 404, so grant ids reveal nothing).
 */

export const GRANTS_PATH = '/break-glass/grants';

function activateSchema(limits: GrantLimits) {
  return z.strictObject({
    scope: z.discriminatedUnion('kind', [
      z.strictObject({
        kind: z.literal('patient'),
        patient: z.string().regex(/^Patient\/[A-Za-z0-9\-.]{1,64}$/, 'patient must be Patient/<id>'),
      }),
      z.strictObject({ kind: z.literal('all-restricted') }),
    ]),
    reason: z.strictObject({
      code: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'reason.code must be a lower-case code such as emergency-care'),
      text: z.string().trim().min(1, 'reason.text must say why, in words').max(1000),
    }),
    attestation: z.literal(true, 'attestation must be true: the user confirms this is an emergency'),
    durationMinutes: z
      .int('durationMinutes must be a whole number of minutes')
      .min(limits.minMinutes, `durationMinutes must be at least ${limits.minMinutes}`)
      .max(limits.maxMinutes, `durationMinutes must be at most ${limits.maxMinutes}`)
      .default(limits.defaultMinutes),
  });
}

const grantIdSchema = z.string().regex(/^bg-[0-9a-f-]{36}$/, 'a grant id looks like bg-<uuid>');

export function grantView(ctx: EhrContext, grant: Grant): object {
  return {
    id: grant.id,
    status: ctx.grants.statusOf(grant),
    holder: { sub: grant.holder, name: grant.holderName },
    scope: grant.scope,
    reason: grant.reason,
    issuedAt: grant.issuedAt.toISOString(),
    expiresAt: grant.expiresAt.toISOString(),
    ...(grant.endedAt ? { endedAt: grant.endedAt.toISOString() } : {}),
    secondsLeft: Math.floor(ctx.grants.msLeft(grant) / 1000),
    self: `${ctx.origin}${GRANTS_PATH}/${grant.id}`,
  };
}

/** Handles /break-glass and /break-glass/grants[/<id>]; answers false for other paths. */
export async function handleBreakGlassApi(
  ctx: EhrContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  if (path === '/break-glass' && req.method === 'GET') {
    sendJson(res, 200, {
      grants: `${ctx.origin}${GRANTS_PATH}`,
      limits: ctx.grants.limits,
      scopes: ['patient', 'all-restricted'],
    });
    return true;
  }
  return serveGrants(ctx, req, res, path, {
    path: GRANTS_PATH,
    store: ctx.grants,
    idSchema: grantIdSchema,
    view: (grant) => grantView(ctx, grant),
    create: (user) => activate(ctx, req, res, user),
    createVerb: 'activate a grant',
  });
}

async function activate(
  ctx: EhrContext,
  req: IncomingMessage,
  res: ServerResponse,
  user: IdentityClaims,
): Promise<void> {
  if (!mayBreakGlass(user.roles)) {
    apiError(res, 403, 'forbidden', 'Break-glass access is for clinical roles only.');
    return;
  }
  let body: unknown;
  try {
    body = await readJsonBody(req);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    apiError(res, error.status, 'invalid_request', error.message);
    return;
  }
  const parsed = activateSchema(ctx.grants.limits).safeParse(body);
  if (!parsed.success) {
    apiError(res, 400, 'invalid_request', z.prettifyError(parsed.error), {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
    return;
  }
  const { scope, reason, durationMinutes } = parsed.data;
  if (scope.kind === 'patient' && !ctx.directory.chart(scope.patient.slice('Patient/'.length))) {
    apiError(res, 404, 'unknown_patient', `This EHR has no ${scope.patient}.`);
    return;
  }
  const grant = ctx.grants.activate({ holder: user.sub, holderName: user.name, scope, reason, durationMinutes });
  sendJson(res, 201, grantView(ctx, grant), 'application/json', {
    location: `${ctx.origin}${GRANTS_PATH}/${grant.id}`,
  });
}
