import { describe, expect, it } from 'vitest';
import { policyErrorContract } from '../../../main/contract/policy-error-contract.js';
import { invokeChannels, type InvokeChannel } from '../../../preload/contract.js';

describe('policyErrorContract: the workstation fails closed on an invalid machine policy', () => {
  const problems = 'The machine policy has 1 problem:\n- session.idleMs: expected a number';

  it('draws the policy-error screen naming the problems, with no readers and no session', async () => {
    const contract = policyErrorContract('WS-7', problems, { warn: () => {} });
    expect(await contract.invoke('session:get-view', undefined)).toEqual({
      ok: true,
      result: {
        screen: 'policy-error',
        workstation: 'WS-7',
        profile: 'none',
        suspendedCount: 0,
        notice: { level: 'error', id: 'policyProblems', params: { problems } },
      },
    });
    expect(await contract.invoke('readers:get-status', undefined)).toEqual({ ok: true, result: { readers: [] } });
  });

  it('refuses every other channel with a message saying what this screen answers', async () => {
    const warnings: string[] = [];
    const contract = policyErrorContract('WS-7', problems, { warn: (m) => warnings.push(m) });
    const others = (Object.keys(invokeChannels) as InvokeChannel[]).filter(
      (c) =>
        c !== 'session:get-view' && c !== 'readers:get-status' && c !== 'breakglass:get-state' && c !== 'jit:get-state',
    );
    expect(others.length).toBeGreaterThan(10);
    for (const channel of others) {
      expect(await contract.invoke(channel, { pin: '4826' })).toEqual({
        ok: false,
        error: expect.stringContaining(
          `Refused ${channel}: the policy-error screen answers only session:get-view, readers:get-status, breakglass:get-state, and jit:get-state`,
        ),
      });
    }
    expect(warnings).toHaveLength(others.length);
  });
});
