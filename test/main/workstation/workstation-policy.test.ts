import { describe, expect, it } from 'vitest';
import { careShellPolicySchema, resolveCareShellPolicy } from '../../../main/app/careshell-policy.js';
import type { MachinePolicySource } from '../../../main/policy/machine-policy-source.js';
import { hostSettingsOf, readWorkstationPolicy } from '../../../main/workstation/workstation-policy.js';

describe('hostSettingsOf', () => {
  it('allows the EHR its own origins and the sign-in window the provider and identity.allowedOrigins', () => {
    const resolved = resolveCareShellPolicy(
      careShellPolicySchema.parse({
        version: 1,
        identity: {
          clientId: 'careshell',
          authority: 'https://login.microsoftonline.com/contoso.example',
          allowedOrigins: ['https://adfs.contoso.example'],
        },
        ehr: { url: 'https://ehr.contoso.example/app/', allowedOrigins: ['https://ehr.contoso.example/other'] },
      }),
    );
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems));
    expect(hostSettingsOf(resolved.policy)).toEqual({
      ehrUrl: 'https://ehr.contoso.example/app/',
      ehrOrigins: ['https://ehr.contoso.example'],
      signInOrigins: ['https://login.microsoftonline.com', 'https://adfs.contoso.example'],
    });
  });

  it('refuses a plain-http federated sign-in origin in the policy', () => {
    const parsed = careShellPolicySchema.safeParse({
      version: 1,
      identity: { clientId: 'c', authority: 'https://idp.example', allowedOrigins: ['http://adfs.example'] },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['identity', 'allowedOrigins', 0]);
  });
});

describe('readWorkstationPolicy: the readers section of an invalid policy', () => {
  /** A source that finds `document` (the file's JSON); it is never watched here. */
  const finding = (document: unknown): MachinePolicySource => ({
    location: '/etc/careshell/policy.json',
    describe: () => 'test source',
    read: async () => ({ kind: 'found', document }),
    watch: () => () => {},
  });
  const readers = { readers: [{ driver: 'simulated', id: 'front-desk' }] };

  it('comes with the problems when it alone is valid and names a reader', async () => {
    const read = await readWorkstationPolicy(finding({ version: 1, readers, session: { graceMinutes: 9999 } }));
    expect(read).toMatchObject({ kind: 'invalid', readers: { readers: [{ id: 'front-desk' }], debounceMs: 1500 } });
  });

  it('is left out when it is wrong itself, names no reader, or the file is not an object', async () => {
    const broken = { session: { graceMinutes: 9999 } };
    for (const document of [
      { version: 1, ...broken, readers: { ...readers, debounceMs: -1 } },
      { version: 1, ...broken, readers: { readers: [] } },
      { version: 1, ...broken },
      'not a policy',
    ]) {
      const read = await readWorkstationPolicy(finding(document));
      expect(read.kind).toBe('invalid');
      expect(read).not.toHaveProperty('readers');
    }
  });
});
