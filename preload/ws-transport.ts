import {
  eventChannels,
  unwrapOutcome,
  wireToRendererSchema,
  type ContractTransport,
  type EventChannel,
  type InvokeChannel,
} from './contract.js';

/**
 * Pushed state that can also be asked for. Pushes sent while the socket was down are lost (the harness also drops
 * a client that stops reading), so after a reconnect each is asked for again: a page must never keep showing a
 * session that was locked in the meantime.
 */
const RESYNC = [
  ['session:view', 'session:get-view'],
  ['readers:status', 'readers:get-status'],
  // A break-glass countdown must not stay on the page after its grant ended while the socket was down.
  ['breakglass:state', 'breakglass:get-state'],
  ['jit:state', 'jit:get-state'],
] as const;

/**
 * The harness transport: the same contract over a loopback WebSocket, so the renderer runs unchanged in
 * plain Chromium. Requests made before the socket opens are queued; a lost socket is reopened and the page's
 * state asked for again.
 */
export function createWsTransport(url: string, WebSocketImpl: typeof WebSocket = WebSocket): ContractTransport {
  let socket: WebSocket | undefined;
  let nextId = 0;
  const pending = new Map<
    number,
    { channel: InvokeChannel; resolve: (v: unknown) => void; reject: (reason: unknown) => void }
  >();
  const queue: string[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let lost = false;
  const deliver = (event: string, payload: unknown) => {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };

  const connect = () => {
    const ws = new WebSocketImpl(url);
    socket = ws;
    ws.onopen = () => {
      for (const frame of queue.splice(0)) ws.send(frame);
      if (lost)
        for (const [event, channel] of RESYNC)
          transport.invoke(channel, undefined).then(
            (state) => deliver(event, state),
            () => undefined, // the socket went again: the next reconnect asks again
          );
    };
    ws.onmessage = (message) => {
      let json: unknown;
      try {
        json = JSON.parse(String(message.data));
      } catch {
        return; // not a frame of the contract
      }
      const parsed = wireToRendererSchema.safeParse(json);
      if (!parsed.success) return;
      const frame = parsed.data;
      if ('id' in frame) {
        const call = pending.get(frame.id);
        pending.delete(frame.id);
        if (!call) return;
        try {
          call.resolve(unwrapOutcome(call.channel, frame.outcome));
        } catch (error) {
          call.reject(error);
        }
      } else {
        const spec = Object.hasOwn(eventChannels, frame.event) ? eventChannels[frame.event as EventChannel] : undefined;
        const payload = spec?.payload.safeParse(frame.payload);
        if (payload?.success) deliver(frame.event, payload.data);
      }
    };
    ws.onclose = () => {
      lost = true;
      for (const [id, call] of pending) {
        call.reject(new Error('Lost the connection to CareShell; retrying.'));
        pending.delete(id);
      }
      setTimeout(connect, 500);
    };
  };
  const transport: ContractTransport = {
    invoke(channel, request) {
      const id = nextId++;
      const frame = JSON.stringify({ id, channel, payload: request });
      return new Promise((resolve, reject) => {
        pending.set(id, { channel, resolve: resolve as (v: unknown) => void, reject });
        if (socket?.readyState === WebSocketImpl.OPEN) socket.send(frame);
        else queue.push(frame);
      });
    },
    subscribe(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
  connect();
  return transport;
}
