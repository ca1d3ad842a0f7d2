import { z } from 'zod';
import { messageOf } from '../../common/errors.js';

/** How long a grant call may take before CareShell gives up on it (ending: the server's expiry still holds). */
export const GRANT_CALL_TIMEOUT_MS = 5_000;
const errorSchema = z.object({ message: z.string() });

/** A grant as every grant API answers it: its expiry is the server's, never the workstation's. */
export const grantStatusSchema = z.object({
  id: z.string().min(1).max(200),
  status: z.enum(['active', 'expired', 'ended']),
  expiresAt: z.iso.datetime(),
  secondsLeft: z.number().nonnegative(),
});

/** One EHR grant API as its adapter calls it. */
export interface GrantApi {
  origin: string;
  fetchImpl: typeof fetch;
  /** Names the API in errors: "break-glass", "access-grant". */
  name: string;
  /** The error for a refusal: the HTTP status and the server's own words. */
  refused(status: number, message: string): Error;
}

/**
 * One call of an EHR's grant API (docs/break-glass-api.md, docs/access-grants-api.md) with the clinician's own
 * bearer token: a timeout, no redirects, a refusal in the server's own words, and the answer checked against
 * `schema` (nothing from the EHR is trusted unchecked).
 */
export async function callGrantApi<S extends z.ZodType>(
  api: GrantApi,
  schema: S,
  request: { method: string; url: string; accessToken: string; body?: unknown },
): Promise<z.infer<S>> {
  const { method, url, accessToken, body } = request;
  let response: Response;
  try {
    response = await api.fetchImpl(url, {
      method,
      headers: {
        authorization: `Bearer ${accessToken}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(GRANT_CALL_TIMEOUT_MS),
      redirect: 'error',
    });
  } catch (error) {
    throw new Error(`The EHR at ${api.origin} could not be reached for its ${api.name} API: ${messageOf(error)}`);
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const said = errorSchema.safeParse(json);
    throw api.refused(response.status, said.success ? said.data.message : `The EHR answered HTTP ${response.status}.`);
  }
  const answer = schema.safeParse(json);
  if (!answer.success) throw new Error(`The EHR's ${api.name} answer is not a grant: ${z.prettifyError(answer.error)}`);
  return answer.data;
}
