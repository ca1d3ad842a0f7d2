import { z } from 'zod';
import { messageOf } from '../../common/errors.js';
import {
  JitRefused,
  type JitGrantRequest,
  type JitGrantStatus,
  type JustInTimeAdapter,
} from './just-in-time-adapter.js';

const grantSchema = z.object({
  id: z.string().min(1).max(200),
  status: z.enum(['active', 'expired', 'ended']),
  expiresAt: z.iso.datetime(),
  secondsLeft: z.number().nonnegative(),
  open: z.url().optional(),
});
const errorSchema = z.object({ message: z.string() });

/** How long a grant call may take before CareShell gives up on it (ending: the server's expiry still holds). */
const CALL_TIMEOUT_MS = 5_000;

/**
 * The access-grant API of docs/access-grants-api.md (the demo EHR implements it): POST, GET and DELETE on
 * `<ehr>/access/grants`, each with the requester's own bearer token; an approval carries the approver's own
 * access token in the body, for the EHR to check at the identity provider. Every answer is validated.
 */
export function accessGrantApiAdapter(ehrOrigin: string, fetchImpl: typeof fetch = fetch): JustInTimeAdapter {
  const origin = new URL(ehrOrigin).origin;
  const grants = `${origin}/access/grants`;

  async function call(method: string, url: string, accessToken: string, body?: unknown): Promise<JitGrantStatus> {
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
      throw new Error(`The EHR at ${origin} could not be reached for access grants: ${messageOf(error)}`);
    }
    const json: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const said = errorSchema.safeParse(json);
      throw new JitRefused(
        response.status,
        said.success ? said.data.message : `The EHR answered HTTP ${response.status}.`,
      );
    }
    const grant = grantSchema.safeParse(json);
    if (!grant.success)
      throw new Error(`The EHR's access-grant answer is not a grant: ${z.prettifyError(grant.error)}`);
    // Where the scope opens is data from the EHR: a page of another origin is dropped, never loaded.
    const { open, ...status } = grant.data;
    return open && new URL(open).origin === origin ? { ...status, open } : status;
  }

  const one = (grantId: string) => `${grants}/${encodeURIComponent(grantId)}`;
  return {
    origin,
    request: (token, request: JitGrantRequest) => call('POST', grants, token, request),
    status: (token, grantId) => call('GET', one(grantId), token),
    end: (token, grantId) => call('DELETE', one(grantId), token),
  };
}
