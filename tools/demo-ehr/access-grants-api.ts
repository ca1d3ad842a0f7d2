import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { EhrContext } from './ehr-context.js';
import { apiError, serveGrants } from './grant-api-kit.js';
import { HttpError, readJsonBody, sendJson } from './http-kit.js';
import type { IdentityClaims } from './idp-client.js';
import type { JitConfig } from './jit-config.js';
import type { JitApprovalRecord, JitGrant, JitScope } from './jit-grant-store.js';

/**
 * The just-in-time access-grant API (docs/access-grants-api.md): request, read and end grants with the holder's
 * own bearer access token. The approval is proved, not claimed: an approver's own access token, which the EHR
 * checks at the identity provider (never the requester, and of an approver role), or `auto` for a scope this EHR
 * itself calls low-risk. A grant is visible only to its holder (anyone else gets 404).
 */

export const ACCESS_GRANTS_PATH = '/access/grants';

function requestSchema(config: JitConfig) {
  return z.strictObject({
    scope: z.discriminatedUnion('kind', [
      z.strictObject({
        kind: z.literal('unit'),
        unit: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'unit is a unit id'),
      }),
      z.strictObject({
        kind: z.literal('patient'),
        patient: z.string().regex(/^Patient\/[A-Za-z0-9\-.]{1,64}$/, 'patient must be Patient/<id>'),
      }),
      z.strictObject({ kind: z.literal('role'), role: z.string().regex(/^[a-z0-9-]{1,64}$/, 'role is a role name') }),
    ]),
    purpose: z.strictObject({
      code: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'purpose.code must be a lower-case code such as covering-unit'),
      text: z.string().trim().min(1, 'purpose.text must say why, in words').max(2000),
    }),
    durationMinutes: z
      .int('durationMinutes must be a whole number of minutes')
      .min(config.minMinutes, `durationMinutes must be at least ${config.minMinutes}`),
    approval: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('approver'), accessToken: z.string().min(1).max(8192) }),
      z.strictObject({ kind: z.literal('auto') }),
    ]),
  });
}

const grantIdSchema = z.string().regex(/^jit-[0-9a-f-]{36}$/, 'a grant id looks like jit-<uuid>');

/** Where a granted scope opens on this EHR. */
export function landingOf(ctx: EhrContext, scope: JitScope): string {
  if (scope.kind === 'unit') return `${ctx.origin}/units/${encodeURIComponent(scope.unit)}`;
  if (scope.kind === 'patient') return `${ctx.origin}/patients/${encodeURIComponent(scope.patient.slice(8))}`;
  return `${ctx.origin}/staffing`;
}

export function jitGrantView(ctx: EhrContext, grant: JitGrant): object {
  return {
    id: grant.id,
    status: ctx.jit.statusOf(grant),
    holder: { sub: grant.holder, name: grant.holderName },
    scope: grant.scope,
    purpose: grant.purpose,
    approval: grant.approval,
    issuedAt: grant.issuedAt.toISOString(),
    expiresAt: grant.expiresAt.toISOString(),
    ...(grant.endedAt ? { endedAt: grant.endedAt.toISOString() } : {}),
    secondsLeft: Math.floor(ctx.jit.msLeft(grant) / 1000),
    open: landingOf(ctx, grant.scope),
    self: `${ctx.origin}${ACCESS_GRANTS_PATH}/${grant.id}`,
  };
}

/** Handles /access and /access/grants[/<id>]; answers false for other paths. */
export async function handleAccessGrantsApi(
  ctx: EhrContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  if (path === '/access' && req.method === 'GET') {
    const { requesterRoles, approverRoles, minMinutes, scopes } = ctx.jitConfig;
    sendJson(res, 200, {
      grants: `${ctx.origin}${ACCESS_GRANTS_PATH}`,
      requesterRoles,
      approverRoles,
      minMinutes,
      scopes,
    });
    return true;
  }
  return serveGrants(ctx, req, res, path, {
    path: ACCESS_GRANTS_PATH,
    store: ctx.jit,
    idSchema: grantIdSchema,
    view: (grant) => jitGrantView(ctx, grant),
    create: (user) => requestGrant(ctx, req, res, user),
    createVerb: 'request a grant',
  });
}

async function requestGrant(
  ctx: EhrContext,
  req: IncomingMessage,
  res: ServerResponse,
  user: IdentityClaims,
): Promise<void> {
  const config = ctx.jitConfig;
  if (!user.roles.some((r) => config.requesterRoles.includes(r))) {
    apiError(res, 403, 'forbidden', `Just-in-time access is for ${config.requesterRoles.join(' or ')} roles only.`);
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
  const parsed = requestSchema(config).safeParse(body);
  if (!parsed.success) {
    apiError(res, 400, 'invalid_request', z.prettifyError(parsed.error), {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
    return;
  }
  const { scope, purpose, durationMinutes, approval } = parsed.data;
  const rule = config.scopes[scope.kind];
  if (durationMinutes > rule.maxMinutes) {
    apiError(
      res,
      400,
      'invalid_request',
      `durationMinutes must be at most ${rule.maxMinutes} for a ${scope.kind} grant`,
    );
    return;
  }
  if (scope.kind === 'unit' && !ctx.directory.unitNames.has(scope.unit)) {
    apiError(res, 404, 'unknown_unit', `This EHR has no unit ${scope.unit}.`);
    return;
  }
  if (scope.kind === 'patient' && !ctx.directory.chart(scope.patient.slice('Patient/'.length))) {
    apiError(res, 404, 'unknown_patient', `This EHR has no ${scope.patient}.`);
    return;
  }
  if (scope.kind === 'role' && !config.scopes.role.roles.includes(scope.role)) {
    apiError(res, 403, 'forbidden', `The role ${scope.role} cannot be granted just in time here.`);
    return;
  }
  let record: JitApprovalRecord;
  if (approval.kind === 'auto') {
    if (!rule.lowRisk) {
      apiError(
        res,
        403,
        'approval_required',
        `A ${scope.kind} grant needs an approver: this EHR does not auto-approve it.`,
      );
      return;
    }
    record = { kind: 'auto' };
  } else {
    const approver = await ctx.idp.identityOfAccessToken(approval.accessToken);
    if (!approver) {
      apiError(res, 403, 'approval_invalid', "The identity provider does not accept the approver's access token.");
      return;
    }
    if (approver.sub === user.sub) {
      apiError(res, 403, 'self_approval', 'A request cannot be approved by the person who made it.');
      return;
    }
    if (!approver.roles.some((r) => config.approverRoles.includes(r))) {
      apiError(
        res,
        403,
        'approver_role',
        `${approver.name} may not approve: an approver must be ${config.approverRoles.join(' or ')}.`,
      );
      return;
    }
    record = { kind: 'approver', sub: approver.sub, name: approver.name };
  }
  const grant = ctx.jit.issue({
    holder: user.sub,
    holderName: user.name,
    scope,
    purpose,
    approval: record,
    durationMinutes,
  });
  sendJson(res, 201, jitGrantView(ctx, grant), 'application/json', {
    location: `${ctx.origin}${ACCESS_GRANTS_PATH}/${grant.id}`,
  });
}

export type { JitScope };
