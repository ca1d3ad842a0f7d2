import { describe, expect, it } from 'vitest';
import { ContractServer, type InvokeHandlers } from '../../../main/app/contract-handlers.js';
import type { SessionView } from '../../../preload/contract.js';

const view: SessionView = { screen: 'no-user', workstation: 'WS-1', profile: 'default', suspendedCount: 0 };

function server(overrides: Partial<InvokeHandlers> = {}) {
  const warnings: string[] = [];
  const calls: unknown[] = [];
  const ok = async (request: unknown) => (calls.push(request), { ok: true });
  const handlers = new Proxy({} as InvokeHandlers, {
    get: (_target, name: string) =>
      (overrides as Record<string, unknown>)[name] ?? (name === 'session:get-view' ? async () => view : ok),
  });
  return { contract: new ContractServer(handlers, { warn: (m) => warnings.push(m) }), warnings, calls };
}

describe('ContractServer: the main-process end of the one contract', () => {
  it('refuses an unknown channel, and any prototype name, with a logged reason and no handler call', async () => {
    const { contract, warnings, calls } = server();
    expect(await contract.invoke('session:unlock-everything', undefined)).toEqual({
      ok: false,
      error: 'Rejected request on unknown channel "session:unlock-everything".',
    });
    expect(await contract.invoke('constructor', undefined)).toMatchObject({ ok: false });
    expect(await contract.invoke(42, undefined)).toMatchObject({
      ok: false,
      error: 'Rejected request on unknown channel 42.',
    });
    expect(warnings).toHaveLength(3);
    expect(calls).toEqual([]);
  });

  it('refuses a payload that breaks the channel schema, naming the field, before any handler runs', async () => {
    const { contract, warnings, calls } = server();
    expect(await contract.invoke('session:submit-pin', { pin: '12ab' })).toEqual({
      ok: false,
      error: 'Rejected session:submit-pin: pin: A PIN is 4 to 12 digits.',
    });
    expect(await contract.invoke('session:prove-step-up', { method: 'totp', code: '1' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/code: An authenticator code is 6 digits/),
    });
    expect(await contract.invoke('session:lock-now', { extra: true })).toMatchObject({ ok: false });
    expect(warnings).toHaveLength(3);
    expect(calls).toEqual([]);
    expect(await contract.invoke('session:submit-pin', { pin: '4826' })).toEqual({ ok: true, result: { ok: true } });
    expect(calls).toEqual([{ pin: '4826' }]);
  });

  it('answers a failing handler, or an answer that breaks the contract, with an outcome the renderer can show', async () => {
    const { contract, warnings } = server({
      'session:lock-now': async () => Promise.reject(new Error('journal disk full')),
      'session:get-view': async () => ({ ...view, screen: 'unlocked-for-everyone' }) as unknown as SessionView,
    });
    expect(await contract.invoke('session:lock-now', undefined)).toEqual({
      ok: false,
      error: 'CareShell could not handle session:lock-now; the details are in its log. Try again, or call IT.',
    });
    expect(await contract.invoke('session:get-view', undefined)).toMatchObject({ ok: false });
    expect(warnings[0]).toBe('session:lock-now failed: journal disk full');
    expect(warnings[1]).toMatch(/^session:get-view failed: .*screen/s);
  });

  it('validates what it pushes to the renderer too', () => {
    expect(ContractServer.event('session:view', view)).toEqual(view);
    expect(() => ContractServer.event('session:view', { ...view, suspendedCount: -1 })).toThrow();
  });
});
