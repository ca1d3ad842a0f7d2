import { z } from 'zod';
import { messageOf } from '../../common/errors.js';
import {
  BreakGlassRefused,
  type BreakGlassAdapter,
  type GrantRequest,
  type GrantStatus,
} from './break-glass-adapter.js';

const grantSchema = z.object({
  id: z.string().min(1).max(200),
  status: z.enum(['active', 'expired', 'ended']),
  expiresAt: z.iso.datetime(),
  secondsLeft: z.number().nonnegative(),
});
const errorSchema = z.object({ message: z.string() });

/** How long a grant call may take before CareShell gives up on it (ending: the server's expiry still holds). */
const CALL_TIMEOUT_MS = 5_000;

/**
 * The break-glass grant API of docs/break-glass-api.md (the demo EHR implements it): POST, GET and DELETE on
 * `<ehr>/break-glass/grants`, each with the clinician's own bearer token. Every answer is validated.
 */
export function grantApiAdapter(ehrOrigin: string, fetchImpl: typeof fetch = fetch): BreakGlassAdapter {
  const origin = new URL(ehrOrigin).origin;
  const grants = `${origin}/break-glass/grants`;

  async function call(method: string, url: string, accessToken: string, body?: unknown): Promise<GrantStatus> {
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method,
        headers: {
          authorization: `Bearer ${accessToken}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
        redirect: 'error',
      });
    } catch (error) {
      throw new Error(`The EHR at ${origin} could not be reached for break-glass: ${messageOf(error)}`);
    }
    const json: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const said = errorSchema.safeParse(json);
      throw new BreakGlassRefused(
        response.status,
        said.success ? said.data.message : `The EHR answered HTTP ${response.status}.`,
      );
    }
    const grant = grantSchema.safeParse(json);
    if (!grant.success) throw new Error(`The EHR's break-glass answer is not a grant: ${z.prettifyError(grant.error)}`);
    return grant.data;
  }

  const one = (grantId: string) => `${grants}/${encodeURIComponent(grantId)}`;
  return {
    origin,
    activate: (token, request: GrantRequest) => call('POST', grants, token, request),
    status: (token, grantId) => call('GET', one(grantId), token),
    end: (token, grantId) => call('DELETE', one(grantId), token),
  };
}

/**
 * A one-time URL that signs the session's EHR cookie jar in as the token's user (docs/break-glass-api.md#sign-in),
 * so a clinician who signed in to CareShell by badge opens the EHR without a second sign-in.
 */
export async function ehrHandoverUrl(
  ehrOrigin: string,
  accessToken: string,
  returnTo: string,
  fetchImpl: typeof fetch = fetch,
): Promise<string> {
  const origin = new URL(ehrOrigin).origin;
  const response = await fetchImpl(`${origin}/sso/handover`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ returnTo }),
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    redirect: 'error',
  });
  const answer = z.object({ url: z.url() }).safeParse(await response.json().catch(() => undefined));
  if (!response.ok || !answer.success)
    throw new Error(`The EHR refused the sign-in hand-over (HTTP ${response.status}).`);
  if (new URL(answer.data.url).origin !== origin) throw new Error('The EHR handed over to another origin.');
  return answer.data.url;
}
