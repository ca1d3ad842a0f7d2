import { request } from 'node:https';
import { z } from 'zod';
import type { HospitalDescription } from './hospital-description.js';

const answerSchema = z.object({
  ok: z.boolean(),
  sequence: z.number().int().optional(),
  message: z.string().optional(),
});

/**
 * The demo controls' Revoke and Restore, through the hospital publisher's admin API (tools/revocation-server):
 * the same calls whether the publisher runs in this process or in the one that serves the hospital
 * (docs/harness.md#several-workstations). Resolves to the words the control page shows.
 */
export function revocationAdmin(hospital: HospitalDescription) {
  const { url, adminToken, caPem } = hospital.revocationList;
  const call = (route: 'revoke' | 'restore', body: Record<string, string>) =>
    new Promise<string>((resolve, reject) => {
      const req = request(new URL(`/admin/${route}`, url), {
        method: 'POST',
        ca: caPem ?? hospital.caPem,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
        timeout: 5_000,
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += String(chunk)));
        res.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          const answer = answerSchema.safeParse(json);
          if (answer.success && answer.data.ok && answer.data.sequence !== undefined)
            resolve(`revocation list ${answer.data.sequence} published`);
          else
            reject(
              new Error(
                `the revocation list publisher refused (HTTP ${res.statusCode}): ${answer.data?.message ?? text}`,
              ),
            );
        });
      });
      req.on('timeout', () => req.destroy(new Error(`the revocation list publisher at ${url} did not answer`)));
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  return {
    revoke: (userId: string) => call('revoke', { userId, reason: 'revoked from the demo controls' }),
    restore: (userId: string) => call('restore', { userId }),
  };
}
