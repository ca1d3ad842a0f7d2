import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  answersOn,
  createCareShellApi,
  eventChannels,
  invokeChannels,
  SCREENS,
  type CareShellApi,
  type ChannelsOn,
  type ContractTransport,
  type EventChannel,
  type InvokeChannel,
} from '../../preload/contract.js';

/** A transport that records what the API sends, so each method can be traced to its channel. */
function recordingTransport() {
  const invoked: { channel: string; request: unknown }[] = [];
  const subscribed: string[] = [];
  const transport: ContractTransport = {
    invoke: async (channel, request) => (invoked.push({ channel, request }), undefined as never),
    subscribe: (channel) => (subscribed.push(channel), () => {}),
  };
  return { transport, invoked, subscribed };
}

type Methods = Record<string, Record<string, (...args: unknown[]) => unknown>>;

describe('createCareShellApi: window.careshell derived from the channel table', () => {
  it('has one method per channel, in the namespace of its name, and no other method', async () => {
    const { transport, invoked, subscribed } = recordingTransport();
    const api = createCareShellApi(transport) as unknown as Methods;
    const methods = Object.entries(api).flatMap(([namespace, members]) =>
      Object.keys(members).map((method) => `${namespace}.${method}`),
    );
    const channels = [...Object.keys(invokeChannels), ...Object.keys(eventChannels)];
    expect(methods).toHaveLength(channels.length);

    for (const [channel, spec] of Object.entries(invokeChannels)) {
      await api[channel.split(':')[0]!]![spec.method]!({ probe: channel });
    }
    for (const [channel, spec] of Object.entries(eventChannels)) {
      api[channel.split(':')[0]!]![spec.method]!(() => {});
    }
    expect(invoked.map((call) => call.channel)).toEqual(Object.keys(invokeChannels));
    expect(subscribed).toEqual(Object.keys(eventChannels));
  });

  it('sends a request object as given, and nothing at all for a method that takes no request', async () => {
    const { transport, invoked } = recordingTransport();
    const api = createCareShellApi(transport);
    await api.session.submitPin({ pin: '4826' });
    await api.session.proveStepUp({ method: 'idp' });
    // e.g. `onClick={api.session.lockNow}`: the click event must not become the request.
    await (api.session.lockNow as (event: unknown) => Promise<unknown>)({ type: 'click' });
    expect(invoked).toEqual([
      { channel: 'session:submit-pin', request: { pin: '4826' } },
      { channel: 'session:prove-step-up', request: { method: 'idp' } },
      { channel: 'session:lock-now', request: undefined },
    ]);
  });

  it('types each method from its channel (checked by the type checker)', () => {
    expectTypeOf<CareShellApi['session']['submitPin']>().parameters.toEqualTypeOf<[{ pin: string }]>();
    expectTypeOf<CareShellApi['session']['lockNow']>().parameters.toEqualTypeOf<[]>();
    expectTypeOf<CareShellApi['readers']['onStatus']>().returns.toEqualTypeOf<() => void>();
    expectTypeOf<keyof CareShellApi>().toEqualTypeOf<
      'session' | 'readers' | 'identity' | 'preferences' | 'review' | 'breakglass' | 'ehr' | 'jit' | 'temporary'
    >();
    const api = createCareShellApi(recordingTransport().transport);
    // @ts-expect-error a method exists only for a declared channel
    expect(api.session.unlockEverything).toBeUndefined();
  });
});

describe('the screens each channel answers on', () => {
  it('lets the policy-error screen answer only the reads that draw it', () => {
    const onPolicyError = (Object.keys(invokeChannels) as InvokeChannel[]).filter((c) => answersOn(c, 'policy-error'));
    expect(onPolicyError).toEqual(['session:get-view', 'readers:get-status', 'breakglass:get-state', 'jit:get-state']);
    expectTypeOf<ChannelsOn<'policy-error'>>().toEqualTypeOf<
      'session:get-view' | 'readers:get-status' | 'breakglass:get-state' | 'jit:get-state'
    >();
  });

  it('answers every channel on at least one screen, and every screen answers the view', () => {
    for (const channel of Object.keys(invokeChannels) as InvokeChannel[]) {
      expect(
        SCREENS.some((screen) => answersOn(channel, screen)),
        channel,
      ).toBe(true);
    }
    for (const screen of SCREENS) expect(answersOn('session:get-view', screen)).toBe(true);
    expectTypeOf<ChannelsOn<(typeof SCREENS)[number]>>().toEqualTypeOf<InvokeChannel>();
    expectTypeOf<EventChannel>().toEqualTypeOf<
      | 'session:view'
      | 'readers:status'
      | 'readers:badge-read'
      | 'identity:authenticator-setup'
      | 'review:screen'
      | 'breakglass:state'
      | 'jit:state'
      | 'ehr:frame'
      | 'temporary:sponsor'
      | 'preferences:changed'
    >();
  });
});
