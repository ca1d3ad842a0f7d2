import { z } from 'zod';
import { callGrantApi, grantStatusSchema, type GrantApi } from '../break-glass/grant-api-call.js';
import {
  JitRefused,
  type JitGrantRequest,
  type JitGrantStatus,
  type JustInTimeAdapter,
} from './just-in-time-adapter.js';

/** Grants answer where their scope opens, too. */
const grantSchema = grantStatusSchema.extend({ open: z.url().optional() });

/**
 * The access-grant API of docs/access-grants-api.md (the demo EHR implements it): POST, GET and DELETE on
 * `<ehr>/access/grants`, each with the requester's own bearer token; an approval carries the approver's own
 * access token in the body, for the EHR to check at the identity provider. Every answer is validated.
 */
export function accessGrantApiAdapter(ehrOrigin: string, fetchImpl: typeof fetch = fetch): JustInTimeAdapter {
  const origin = new URL(ehrOrigin).origin;
  const grants = `${origin}/access/grants`;
  const api: GrantApi = {
    origin,
    fetchImpl,
    name: 'access-grant',
    refused: (status, message) => new JitRefused(status, message),
  };

  async function call(method: string, url: string, accessToken: string, body?: unknown): Promise<JitGrantStatus> {
    const grant = await callGrantApi(api, grantSchema, { method, url, accessToken, body });
    // Where the scope opens is data from the EHR: a page of another origin is dropped, never loaded.
    const { open, ...status } = grant;
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
