import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionView } from '../../preload/contract.js';
import { createWsTransport } from '../../preload/ws-transport.js';
import { FakeSocket, fakeWebSocket } from './support/fake-socket.js';

const locked: SessionView = { screen: 'locked', workstation: 'WS-1', profile: 'default', suspendedCount: 0 };
const active: SessionView = { ...locked, screen: 'active', user: { displayName: 'Ana', roles: ['nurse'] } };

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.instances.length = 0;
});
afterEach(() => vi.useRealTimers());

describe('harness WebSocket transport', () => {
  it('asks for the session view, reader status and break-glass state again after a lost connection, and shows what it gets', async () => {
    const transport = createWsTransport('ws://127.0.0.1:1/careshell', fakeWebSocket);
    const views: unknown[] = [];
    transport.subscribe('session:view', (view) => views.push(view));
    const first = FakeSocket.instances[0]!;
    first.open();
    first.receive({ event: 'session:view', payload: active });
    expect(first.sent).toEqual([]); // a first connection asks nothing by itself

    first.drop(); // the server dropped this page (or restarted); a lock pushed meanwhile is never seen
    await vi.advanceTimersByTimeAsync(500);
    const second = FakeSocket.instances[1]!;
    second.open();
    expect(second.sent.map((f) => f.channel)).toEqual([
      'session:get-view',
      'readers:get-status',
      'breakglass:get-state',
      'jit:get-state',
    ]);
    second.receive({ id: second.sent[0]!.id, outcome: { ok: true, result: locked } });
    await vi.advanceTimersByTimeAsync(0);
    expect(views).toEqual([active, locked]);
  });

  it('ignores a frame that is not JSON instead of throwing in the page', () => {
    const transport = createWsTransport('ws://127.0.0.1:1/careshell', fakeWebSocket);
    const views: unknown[] = [];
    transport.subscribe('session:view', (view) => views.push(view));
    const socket = FakeSocket.instances[0]!;
    socket.open();
    expect(() => socket.receive('not json')).not.toThrow();
    socket.receive({ event: 'session:view', payload: locked });
    expect(views).toEqual([locked]);
  });
});
