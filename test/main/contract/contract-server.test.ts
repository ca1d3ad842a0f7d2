import { describe, expect, it } from 'vitest';
import { ContractServer, type InvokeHandlers } from '../../../main/contract/contract-server.js';
import type { Screen, SessionView } from '../../../preload/contract.js';

const view: SessionView = { screen: 'no-user', workstation: 'WS-1', profile: 'default', suspendedCount: 0 };

function server(overrides: Partial<InvokeHandlers> = {}) {
  const warnings: string[] = [];
  const calls: unknown[] = [];
  const ok = async (request: unknown) => (calls.push(request), { ok: true });
  const handlers = new Proxy({} as InvokeHandlers, {
    get: (_target, name: string) =>
      (overrides as Record<string, unknown>)[name] ?? (name === 'session:get-view' ? async () => view : ok),
  });
  const shown: { screen: Screen } = { screen: 'no-user' };
  const contract = new ContractServer(handlers, () => shown.screen, { warn: (m) => warnings.push(m) });
  return { contract, warnings, calls, shown };
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

  it('refuses a channel the screen on display does not answer, saying which ones it does, before any handler runs', async () => {
    const { contract, warnings, calls, shown } = server();
    shown.screen = 'policy-error';
    expect(await contract.invoke('session:lock-now', undefined)).toEqual({
      ok: false,
      error:
        'Refused session:lock-now: the policy-error screen answers only session:get-view, readers:get-status, ' +
        'breakglass:get-state, and jit:get-state ' +
        '(preload/contract.ts declares the screens of each channel).',
    });
    // Refused for the screen even when the payload is valid: the screen is checked first.
    expect(await contract.invoke('session:submit-pin', { pin: '4826' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Refused session:submit-pin: the policy-error screen answers only/),
    });
    expect(await contract.invoke('session:get-view', undefined)).toEqual({ ok: true, result: view });
    expect(warnings).toHaveLength(2);
    expect(calls).toEqual([]);

    // The screen is read on every request: once it changes, the same channel is answered.
    shown.screen = 'locked';
    expect(await contract.invoke('session:lock-now', undefined)).toEqual({ ok: true, result: { ok: true } });
    expect(calls).toEqual([undefined]);
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

  it('needs a handler for every channel its screens answer (a type error), and fails safe without one', async () => {
    const getView = async () => view;
    const getStatus = async () => ({ readers: [] });
    const warnings: string[] = [];
    const log = { warn: (m: string) => warnings.push(m) };
    // @ts-expect-error a server that can show any screen must handle every channel
    const incomplete = new ContractServer({ 'session:get-view': getView }, (): Screen => 'locked', log);
    expect(await incomplete.invoke('session:lock-now', undefined)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^CareShell could not handle session:lock-now/),
    });
    // A server that only ever shows the policy-error screen needs exactly that screen's read handlers.
    const failClosed = new ContractServer(
      {
        'session:get-view': getView,
        'readers:get-status': getStatus,
        'breakglass:get-state': async () => ({ offered: false }),
        'jit:get-state': async () => ({ offered: false }),
      },
      () => 'policy-error' as const,
      log,
    );
    expect(await failClosed.invoke('readers:get-status', undefined)).toEqual({ ok: true, result: { readers: [] } });
    expect(warnings).toHaveLength(1);
  });
});
