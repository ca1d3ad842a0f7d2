import { z } from 'zod';
import {
  BreakGlassRefused,
  type BreakGlassAdapter,
  type GrantRequest,
  type GrantStatus,
} from './break-glass-adapter.js';
import { callGrantApi, GRANT_CALL_TIMEOUT_MS, grantStatusSchema, type GrantApi } from './grant-api-call.js';

/**
 * The break-glass grant API of docs/break-glass-api.md (the demo EHR implements it): POST, GET and DELETE on
 * `<ehr>/break-glass/grants`, each with the clinician's own bearer token. Every answer is validated.
 */
export function grantApiAdapter(ehrOrigin: string, fetchImpl: typeof fetch = fetch): BreakGlassAdapter {
  const origin = new URL(ehrOrigin).origin;
  const grants = `${origin}/break-glass/grants`;
  const api: GrantApi = {
    origin,
    fetchImpl,
    name: 'break-glass',
    refused: (status, message) => new BreakGlassRefused(status, message),
  };
  const call = (method: string, url: string, accessToken: string, body?: unknown): Promise<GrantStatus> =>
    callGrantApi(api, grantStatusSchema, { method, url, accessToken, body });

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
    signal: AbortSignal.timeout(GRANT_CALL_TIMEOUT_MS),
    redirect: 'error',
  });
  const answer = z.object({ url: z.url() }).safeParse(await response.json().catch(() => undefined));
  if (!response.ok || !answer.success)
    throw new Error(`The EHR refused the sign-in hand-over (HTTP ${response.status}).`);
  if (new URL(answer.data.url).origin !== origin) throw new Error('The EHR handed over to another origin.');
  return answer.data.url;
}
