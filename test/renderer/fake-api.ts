import type { AuthenticatorSetup, CareShellApi, ReaderStatus, SessionView } from '../../preload/contract';

/** A window.careshell for component tests: records calls, lets the test push views. */
export function fakeApi(initial: SessionView) {
  let view = initial;
  const viewListeners = new Set<(v: SessionView) => void>();
  const statusListeners = new Set<(s: ReaderStatus) => void>();
  const setupListeners = new Set<(s: AuthenticatorSetup | null) => void>();
  const calls: string[] = [];
  const pins: string[] = [];
  const chosenPins: string[] = [];
  let pinAnswer: { ok: boolean; message?: string } = { ok: true };
  const proofs: unknown[] = [];
  const codes: string[] = [];
  const api: CareShellApi = {
    session: {
      getView: async () => view,
      reportActivity: async () => (calls.push('activity'), { ok: true }),
      submitPin: async ({ pin }) => (pins.push(pin), pinAnswer),
      cancelPin: async () => (calls.push('cancel-pin'), { ok: true }),
      choosePin: async ({ pin }) => (chosenPins.push(pin), pinAnswer),
      cancelEnrollment: async () => (calls.push('cancel-enrollment'), { ok: true }),
      lockNow: async () => (calls.push('lock-now'), { ok: true }),
      forgotPin: async () => (calls.push('forgot-pin'), { ok: true }),
      signInWithPassword: async () => (calls.push('sign-in-with-password'), { ok: true }),
      requestStepUp: async ({ action }) => (calls.push(`step-up:${action}`), { ok: true }),
      proveStepUp: async (proof) => (proofs.push(proof), { ok: true }),
      cancelStepUp: async () => (calls.push('cancel-step-up'), { ok: true }),
      onView: (l) => (viewListeners.add(l), () => viewListeners.delete(l)),
    },
    readers: {
      getStatus: async () => ({ readers: [{ id: 'r1', description: 'Reader', state: 'ready' }] }),
      onStatus: (l) => (statusListeners.add(l), () => statusListeners.delete(l)),
    },
    identity: {
      confirmAuthenticator: async ({ code }) => (codes.push(code), pinAnswer),
      cancelAuthenticator: async () => (calls.push('cancel-authenticator'), { ok: true }),
      onAuthenticatorSetup: (l) => (setupListeners.add(l), () => setupListeners.delete(l)),
    },
  };
  return {
    api,
    calls,
    pins,
    chosenPins,
    proofs,
    codes,
    pushAuthenticatorSetup(setup: AuthenticatorSetup | null) {
      for (const l of setupListeners) l(setup);
    },
    answerPin(answer: { ok: boolean; message?: string }) {
      pinAnswer = answer;
    },
    push(next: SessionView) {
      view = next;
      for (const l of viewListeners) l(next);
    },
    pushStatus(status: ReaderStatus) {
      for (const l of statusListeners) l(status);
    },
  };
}

export const baseView: SessionView = { screen: 'no-user', workstation: 'WS-1', profile: 'default', suspendedCount: 0 };
export const nurse = { displayName: 'Ana Lopez, RN', roles: ['nurse'] };
