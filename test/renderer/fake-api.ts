import {
  createCareShellApi,
  type AuthenticatorSetup,
  type ContractTransport,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
  type PreferencesView,
  type ReaderStatus,
  type SessionView,
} from '../../preload/contract';

/**
 * A window.careshell for component tests, built by the real createCareShellApi over a recording transport
 * (so it has every method of the contract): records calls, lets the test push views.
 */
export function fakeApi(initial: SessionView, preferences: Partial<PreferencesView> = {}) {
  let view = initial;
  let prefs: PreferencesView = {
    values: { language: 'en', soundCues: false, pinPadLayout: 'phone' },
    locked: [],
    choices: { language: ['en', 'es'], pinPadLayout: ['phone', 'calculator'] },
    ...preferences,
  };
  const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>();
  /** Each request by its channel's name without the namespace, e.g. 'lock-now'; a step-up as 'step-up:<action>'. */
  const calls: string[] = [];
  const pins: string[] = [];
  const chosenPins: string[] = [];
  let pinAnswer: { ok: boolean; message?: string } = { ok: true };
  let signInShown: { ok: boolean; message?: string } = { ok: true };
  const proofs: unknown[] = [];
  const codes: string[] = [];
  const readers: ReaderStatus = { readers: [{ id: 'r1', description: 'Reader', state: 'ready' }] };

  const answer = (channel: InvokeChannel, request: unknown): unknown => {
    const fields = request as Record<string, string>;
    switch (channel) {
      case 'session:get-view':
        return view;
      case 'readers:get-status':
        return readers;
      case 'temporary:get-sponsor':
        return null;
      case 'session:submit-pin':
        return (pins.push(fields.pin!), pinAnswer);
      case 'session:choose-pin':
        return (chosenPins.push(fields.pin!), pinAnswer);
      case 'identity:confirm-authenticator':
        return (codes.push(fields.code!), pinAnswer);
      case 'session:prove-step-up':
        return (proofs.push(request), { ok: true });
      case 'preferences:get':
        return prefs;
      case 'preferences:set': {
        const change = request as { key: keyof PreferencesView['values']; value: never };
        if (prefs.locked.includes(change.key)) return { ok: false, message: 'set by your organisation' };
        prefs = { ...prefs, values: { ...prefs.values, [change.key]: change.value } };
        emit('preferences:changed', prefs);
        return { ok: true };
      }
      case 'session:show-sign-in':
        return (calls.push('show-sign-in'), signInShown);
      case 'session:request-step-up':
        return (calls.push(`step-up:${fields.action}`), { ok: true });
      default:
        return (calls.push(channel.slice(channel.indexOf(':') + 1)), { ok: true });
    }
  };
  const transport: ContractTransport = {
    invoke: async (channel, request) => answer(channel, request) as never,
    subscribe(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
  const emit = <C extends EventChannel>(channel: C, payload: EventPayload<C>) => {
    for (const l of listeners.get(channel) ?? []) l(payload);
  };

  return {
    api: createCareShellApi(transport),
    calls,
    pins,
    chosenPins,
    proofs,
    codes,
    pushAuthenticatorSetup(setup: AuthenticatorSetup | null) {
      emit('identity:authenticator-setup', setup);
    },
    answerPin(next: { ok: boolean; message?: string }) {
      pinAnswer = next;
    },
    /** What main answers to "Show the sign-in window" (ok by default). */
    answerShowSignIn(next: { ok: boolean; message?: string }) {
      signInShown = next;
    },
    push(next: SessionView) {
      view = next;
      emit('session:view', next);
    },
    pushStatus(status: ReaderStatus) {
      emit('readers:status', status);
    },
    /** Main's push after a policy change or a choice made elsewhere. */
    pushPreferences(next: Partial<PreferencesView['values']>, locked = prefs.locked) {
      prefs = { ...prefs, values: { ...prefs.values, ...next }, locked };
      emit('preferences:changed', prefs);
    },
    /** What main would answer to the next preferences:get, without a push. */
    setStoredPreferences(next: Partial<PreferencesView['values']>) {
      prefs = { ...prefs, values: { ...prefs.values, ...next } };
    },
    pushBadgeRead() {
      emit('readers:badge-read', { readerId: 'r1' });
    },
  };
}

export const baseView: SessionView = { screen: 'no-user', workstation: 'WS-1', profile: 'default', suspendedCount: 0 };
export const nurse = { displayName: 'Ana Lopez, RN', roles: ['nurse'] };
