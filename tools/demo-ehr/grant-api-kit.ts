import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { EhrContext } from './ehr-context.js';
import { sendJson } from './http-kit.js';
import type { IdentityClaims } from './idp-client.js';
import type { TimedGrant, TimedGrants } from './timed-grants.js';

/** An API error as the grant APIs answer it (a 401 also names the problem in WWW-Authenticate, RFC 6750). */
export function apiError(
  res: ServerResponse,
  status: number,
  error: string,
  message: string,
  extra: object = {},
): void {
  const headers: Record<string, string> =
    status === 401 ? { 'www-authenticate': `Bearer error="invalid_token", error_description="${message}"` } : {};
  sendJson(res, status, { error, message, ...extra }, 'application/json', headers);
}

/** The user of the request's bearer token, or undefined once a 401 that says what to send was answered. */
export async function holderOf(
  ctx: EhrContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<IdentityClaims | undefined> {
  if (!req.headers.authorization) {
    apiError(
      res,
      401,
      'invalid_token',
      'Send the user access token from the identity provider as Authorization: Bearer <token>.',
    );
    return undefined;
  }
  const user = await ctx.requestUser(req, false);
  if (!user)
    apiError(
      res,
      401,
      'invalid_token',
      'The identity provider does not accept this access token (expired or revoked).',
    );
  return user;
}

/** One kind of grant as its API serves it (docs/break-glass-api.md, docs/access-grants-api.md). */
export interface GrantRoutes<G extends TimedGrant> {
  /** The collection, e.g. /break-glass/grants. */
  path: string;
  store: TimedGrants<G>;
  /** What a grant id looks like; anything else is no grant. */
  idSchema: z.ZodType<string>;
  view(grant: G): object;
  /** POST on the collection: the request of a new grant, answered by the route. */
  create(user: IdentityClaims): Promise<void>;
  /** What POST does, for the 405 answer ("activate a grant", "request a grant"). */
  createVerb: string;
}

/**
 * The collection and its items for the token's user: POST creates, GET lists their active grants, and each of
 * their grants answers GET (its status) and DELETE (ends it; idempotent). Someone else's grant is not found.
 * Answers false for other paths.
 */
export async function serveGrants<G extends TimedGrant>(
  ctx: EhrContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  routes: GrantRoutes<G>,
): Promise<boolean> {
  if (path !== routes.path && !path.startsWith(`${routes.path}/`)) return false;
  const user = await holderOf(ctx, req, res);
  if (!user) return true;
  if (path === routes.path) {
    if (req.method === 'POST') await routes.create(user);
    else if (req.method === 'GET') sendJson(res, 200, { grants: routes.store.activeOf(user.sub).map(routes.view) });
    else
      apiError(res, 405, 'method_not_allowed', `Use POST to ${routes.createVerb} or GET to list your active grants.`);
    return true;
  }
  const id = routes.idSchema.safeParse(decodeURIComponent(path.slice(routes.path.length + 1)));
  const grant = id.success ? routes.store.get(id.data) : undefined;
  if (!grant || grant.holder !== user.sub) {
    apiError(res, 404, 'not_found', 'No grant of yours has this id.');
    return true;
  }
  if (req.method === 'GET') sendJson(res, 200, routes.view(grant));
  else if (req.method === 'DELETE') {
    routes.store.end(grant);
    sendJson(res, 200, routes.view(grant));
  } else apiError(res, 405, 'method_not_allowed', 'Use GET for the status of a grant or DELETE to end it.');
  return true;
}
