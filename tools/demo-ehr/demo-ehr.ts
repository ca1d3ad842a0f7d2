import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Clock } from '../../common/clock.js';
import { messageOf } from '../../common/errors.js';
import { systemRandom, type Random } from '../../common/random.js';
import { AccessLog } from './access-log.js';
import { holdsRole, isOpen, mayViewUnit } from './access-rules.js';
import { handleAccessGrantsApi } from './access-grants-api.js';
import { CHARGE_NURSE_ROLE, DEFAULT_JIT_CONFIG, type JitConfig } from './jit-config.js';
import { JitGrantStore } from './jit-grant-store.js';
import { handleBreakGlassApi } from './break-glass-api.js';
import { ChartDirectory } from './chart-directory.js';
import { EhrContext } from './ehr-context.js';
import { handleFhir } from './fhir-routes.js';
import { demoRecords } from './fixtures.js';
import { DEFAULT_GRANT_LIMITS, GrantStore, type GrantLimits } from './grant-store.js';
import { HttpError, readJsonBody, redirect, sendJson } from './http-kit.js';
import { IdpClient, type IdentityClaims, type IdpConnection } from './idp-client.js';
import {
  CONTENT_SECURITY_POLICY,
  chartPage,
  messagePage,
  patientListPage,
  patientName,
  restrictedPage,
  staffingPage,
  unitCensusPage,
} from './pages.js';
import { SessionStore } from './session-store.js';

/** The identity provider the EHR signs users in with, and how it registers itself there as a web client. */
export interface DemoEhrIdp extends IdpConnection {
  registerWebClient(redirectUri: string): Promise<{ clientId: string; clientSecret: string }>;
}

export interface DemoEhrOptions {
  idp: DemoEhrIdp;
  clock: Clock;
  /** 0 (default) picks a free port on 127.0.0.1. */
  port?: number;
  random?: Random;
  grantLimits?: GrantLimits;
  /** The EHR's own just-in-time rules (docs/access-grants-api.md#the-ehrs-own-rules). */
  jit?: JitConfig;
  /**
   * A page that receives the restricted page's break-glass link as `?link=<careshell:...>` instead of the link
   * itself: for a host that cannot intercept a frame's navigation to a custom scheme (the demo harness, whose
   * page embeds the EHR in an iframe). The link is still only a link: no script talks to the host. Read at each
   * page, so a host that starts after the EHR can set it later.
   */
  breakGlassLinkVia?: () => string | undefined;
}

export interface DemoEhr {
  /** http://127.0.0.1:<port> */
  origin: string;
  close(): Promise<void>;
}

const returnToSchema = z
  .string()
  .regex(/^\/(?!\/)[^\s\\]*$/, 'returnTo must be a path on the EHR, e.g. /patients/p-1001');

function sendHtml(res: ServerResponse, status: number, html: string, cookies: string[] = []): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...(cookies.length > 0 ? { 'set-cookie': cookies } : {}),
  });
  res.end(html);
}

function sessionCookie(ctx: EhrContext, value: string, maxAgeSeconds?: number): string {
  const age = maxAgeSeconds === undefined ? '' : `; Max-Age=${maxAgeSeconds}`;
  return `${ctx.cookieName}=${value}; Path=/; HttpOnly; SameSite=Lax${age}`;
}

async function handlePages(ctx: EhrContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname;
  if (path === '/login' && req.method === 'GET') {
    const returnTo = returnToSchema.safeParse(url.searchParams.get('returnTo') ?? '/');
    const codeVerifier = ctx.sessions.newToken();
    const nonce = ctx.sessions.newToken();
    const state = ctx.sessions.startSignIn({ codeVerifier, nonce, returnTo: returnTo.success ? returnTo.data : '/' });
    redirect(res, ctx.idp.authorizationUrl({ state, nonce, codeVerifier }));
    return;
  }
  if (path === '/oidc/callback' && req.method === 'GET') {
    const error = url.searchParams.get('error');
    const pending = ctx.sessions.finishSignIn(url.searchParams.get('state') ?? '');
    const code = url.searchParams.get('code');
    if (error || !pending || !code) {
      const why = error
        ? `The identity provider answered: ${error}.`
        : 'This sign-in link is stale or was already used.';
      sendHtml(res, 400, messagePage('Sign-in failed', `${why} Open the EHR again to sign in.`));
      return;
    }
    let identity;
    try {
      identity = await ctx.idp.signIn(code, pending.codeVerifier, pending.nonce);
    } catch (failure) {
      sendHtml(
        res,
        502,
        messagePage(
          'Sign-in failed',
          `The sign-in could not be verified: ${messageOf(failure)}. Open the EHR again to retry.`,
        ),
      );
      return;
    }
    redirect(res, pending.returnTo, [sessionCookie(ctx, ctx.sessions.startSession(identity))]);
    return;
  }
  if (path.startsWith('/sso/handover/') && req.method === 'GET') {
    const handover = ctx.sessions.redeemHandover(decodeURIComponent(path.slice('/sso/handover/'.length)));
    if (!handover) {
      sendHtml(res, 400, messagePage('Sign-in failed', 'This hand-over link is stale or was already used.'));
      return;
    }
    ctx.sessions.endSession(ctx.sessionIdOf(req));
    redirect(res, handover.returnTo, [sessionCookie(ctx, ctx.sessions.startSession(handover.identity))]);
    return;
  }
  if (path === '/sso/handover' && req.method === 'POST') {
    await issueHandover(ctx, req, res);
    return;
  }
  if (path === '/logout' && req.method === 'POST') {
    ctx.sessions.endSession(ctx.sessionIdOf(req));
    sendHtml(res, 200, messagePage('Signed out', 'You are signed out of the EHR.'), [sessionCookie(ctx, '', 0)]);
    return;
  }
  if (req.method !== 'GET') {
    sendHtml(res, 405, messagePage('Not allowed', `${req.method} is not used here.`));
    return;
  }
  if (path === '/favicon.ico') {
    res.writeHead(204);
    res.end();
    return;
  }
  const user = ctx.sessionUser(req);
  if (!user) {
    redirect(res, `/login?returnTo=${encodeURIComponent(path)}`);
    return;
  }
  if (path === '/') {
    const rows = ctx.directory.allCharts().map((chart) => ({ chart, access: ctx.decide(user, chart) }));
    sendHtml(res, 200, patientListPage(user, rows, ctx.directory.unitNames));
    return;
  }
  const unitId = /^\/units\/([A-Za-z0-9\-.]{1,64})$/.exec(path)?.[1];
  if (unitId !== undefined) {
    unitPage(ctx, res, user, unitId);
    return;
  }
  if (path === '/staffing') {
    staffing(ctx, res, user);
    return;
  }
  const chart = /^\/patients\/([A-Za-z0-9\-.]{1,64})$/.exec(path)?.[1];
  const found = chart === undefined ? undefined : ctx.directory.chart(chart);
  if (!found) {
    sendHtml(res, 404, messagePage('Not found', 'There is no such page or patient.', user));
    return;
  }
  const access = ctx.openChart(user, found, `chart ${path}`);
  if (isOpen(access)) {
    const grant = access.kind === 'open-under-grant' ? ctx.grants.get(access.grantId) : undefined;
    const jitGrant = access.kind === 'open-under-jit' ? ctx.jit.get(access.grantId) : undefined;
    sendHtml(res, 200, chartPage(user, found, ctx.directory.unitNames, grant, jitGrant));
    return;
  }
  const restrictions = access.kind === 'restricted' ? access.restrictions : [];
  sendHtml(res, 403, restrictedPage(user, found.facts.patient, restrictions, ctx.pageBreakGlassHref(access, found)));
}

/** A unit's census: for its own staff, or under an active just-in-time grant for the unit (checked now). */
function unitPage(ctx: EhrContext, res: ServerResponse, user: IdentityClaims, unitId: string): void {
  const name = ctx.directory.unitNames.get(unitId);
  if (!name) {
    sendHtml(res, 404, messagePage('Not found', 'There is no such unit.', user));
    return;
  }
  const viewer = { sub: user.sub, roles: user.roles, units: ctx.directory.unitsOf(user.sub) };
  if (!mayViewUnit(viewer, unitId, ctx.jitCover(user.sub))) {
    sendHtml(
      res,
      403,
      messagePage(
        'Not your unit',
        `You do not work on ${name}. Ask for just-in-time access to the unit (CareShell: Request access).`,
        user,
      ),
    );
    return;
  }
  const rows = ctx.directory
    .allCharts()
    .filter((chart) => chart.facts.units.has(unitId))
    .map((chart) => ({ chart, access: ctx.decide(user, chart) }));
  const grantId = ctx.jit.unitGrant(user.sub, unitId);
  const grant = viewer.units.has(unitId) || grantId === undefined ? undefined : ctx.jit.get(grantId);
  sendHtml(res, 200, unitCensusPage(user, { id: unitId, name }, rows, grant));
}

/** The staffing board: for charge nurses, by the identity provider's role or an active just-in-time grant. */
function staffing(ctx: EhrContext, res: ServerResponse, user: IdentityClaims): void {
  const roleGrant = (role: string) => ctx.jit.roleGrant(user.sub, role);
  if (!holdsRole(user.roles, CHARGE_NURSE_ROLE, roleGrant)) {
    sendHtml(
      res,
      403,
      messagePage(
        'Charge nurses only',
        'The staffing board is for charge nurses. Ask for the charge-nurse role just in time (CareShell: Request access).',
        user,
      ),
    );
    return;
  }
  const charts = ctx.directory.allCharts();
  const units = [...ctx.directory.unitsOf(user.sub)].map((id) => ({
    id,
    name: ctx.directory.unitNames.get(id) ?? id,
    staff: ctx.directory.staffOf(id).map((member) => ({
      name: member.name,
      role: member.role,
      patients: charts
        .filter((c) => c.facts.units.has(id) && c.facts.careTeam.has(member.sub))
        .map((c) => patientName(c)),
    })),
  }));
  const grantId = user.roles.includes(CHARGE_NURSE_ROLE) ? undefined : roleGrant(CHARGE_NURSE_ROLE);
  sendHtml(res, 200, staffingPage(user, units, grantId === undefined ? undefined : ctx.jit.get(grantId)));
}

/** A shell that holds the user's access token opens the EHR signed in without the provider's browser session. */
async function issueHandover(ctx: EhrContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const user = await ctx.requestUser(req, false);
  if (!user) {
    sendJson(res, 401, {
      error: 'invalid_token',
      message: 'Send the user access token as Authorization: Bearer <token>.',
    });
    return;
  }
  const body = z.strictObject({ returnTo: returnToSchema.default('/') }).safeParse(await readJsonBody(req));
  if (!body.success) {
    sendJson(res, 400, { error: 'invalid_request', message: z.prettifyError(body.error) });
    return;
  }
  const code = ctx.sessions.issueHandover(user, body.data.returnTo);
  sendJson(res, 201, { url: `${ctx.origin}/sso/handover/${code}`, expiresInSeconds: 60 });
}

/**
 * Starts the demo EHR: a separate web app on its own origin with FHIR R4 fixture data, single sign-on through the
 * given OpenID provider, server-enforced attribute-based access and the break-glass grant API
 * (docs/break-glass-api.md).
 */
export async function startDemoEhr(options: DemoEhrOptions): Promise<DemoEhr> {
  const random = options.random ?? systemRandom;
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503);
    res.end();
  };
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  let idp: IdpClient;
  try {
    const redirectUri = `${origin}/oidc/callback`;
    const client = await options.idp.registerWebClient(redirectUri);
    idp = await IdpClient.discover(options.idp, options.clock, { ...client, redirectUri });
  } catch (error) {
    await close();
    throw new Error(`The demo EHR could not set up sign-in at ${options.idp.issuer}: ${messageOf(error)}`);
  }
  const ctx = new EhrContext(
    origin,
    // Cookies are not isolated by port: the port in the name keeps two EHRs on 127.0.0.1 apart.
    `ehr${port}_session`,
    options.clock,
    new ChartDirectory(demoRecords()),
    new GrantStore(options.clock, random, options.grantLimits ?? DEFAULT_GRANT_LIMITS),
    new AccessLog(options.clock, random, origin),
    new SessionStore(options.clock, random),
    idp,
    options.breakGlassLinkVia,
    new JitGrantStore(options.clock, random),
    options.jit ?? DEFAULT_JIT_CONFIG,
  );
  handler = (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const route = url.pathname.startsWith('/fhir/')
      ? handleFhir(ctx, req, res, url)
      : handleBreakGlassApi(ctx, req, res, url.pathname)
          .then((handled) => handled || handleAccessGrantsApi(ctx, req, res, url.pathname))
          .then((handled) => (handled ? undefined : handlePages(ctx, req, res, url)));
    route.catch((error: unknown) => {
      if (res.headersSent) {
        res.end();
        return;
      }
      const status = error instanceof HttpError ? error.status : 500;
      sendJson(res, status, { error: status === 500 ? 'server_error' : 'invalid_request', message: messageOf(error) });
    });
  };
  return { origin, close };
}
