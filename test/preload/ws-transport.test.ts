import { describe, expect, it, vi } from 'vitest';
import { createCareShellApi, type SessionView } from '../../preload/contract.js';
import { createWsTransport } from '../../preload/ws-transport.js';
import { FakeSocket, fakeWebSocket } from './support/fake-socket.js';

const view: SessionView = { screen: 'locked', workstation: 'WS-1', profile: 'default', suspendedCount: 0 };

function connect() {
  FakeSocket.instances.length = 0;
  const transport = createWsTransport('ws://127.0.0.1/careshell', fakeWebSocket);
  return { api: createCareShellApi(transport), socket: FakeSocket.instances[0]! };
}

describe('createWsTransport: the contract over the harness WebSocket', () => {
  it('sends requests made before the socket opens once it does, and resolves each with its own answer', async () => {
    const { api, socket } = connect();
    const viewAnswer = api.session.getView();
    const pinAnswer = api.session.submitPin({ pin: '4826' });
    expect(socket.sent).toEqual([]);
    socket.open();
    expect(socket.sent).toEqual([
      { id: 0, channel: 'session:get-view' },
      { id: 1, channel: 'session:submit-pin', payload: { pin: '4826' } },
    ]);
    socket.receive({ id: 1, outcome: { ok: true, result: { ok: false, message: 'Wrong PIN.' } } });
    socket.receive({ id: 0, outcome: { ok: true, result: view } });
    expect(await pinAnswer).toEqual({ ok: false, message: 'Wrong PIN.' });
    expect(await viewAnswer).toEqual(view);
  });

  it("rejects with main's reason when main refuses, and when an answer breaks the contract", async () => {
    const { api, socket } = connect();
    socket.open();
    const refused = api.session.lockNow();
    const broken = api.session.getView();
    socket.receive({ id: 0, outcome: { ok: false, error: 'Refused session:lock-now: the policy-error screen …' } });
    socket.receive({ id: 1, outcome: { ok: true, result: { ...view, screen: 'unlocked' } } });
    await expect(refused).rejects.toThrow('Refused session:lock-now: the policy-error screen …');
    await expect(broken).rejects.toThrow(/screen/);
  });

  it('passes on only pushes that match their channel, and ignores names that are not channels', () => {
    const { api, socket } = connect();
    socket.open();
    const views: SessionView[] = [];
    const off = api.session.onView((pushed) => views.push(pushed));
    socket.receive({ event: 'session:view', payload: { ...view, suspendedCount: -1 } });
    socket.receive({ event: 'constructor', payload: view });
    socket.receive({ event: 'session:view', payload: view });
    off();
    socket.receive({ event: 'session:view', payload: view });
    expect(views).toEqual([view]);
  });

  it('rejects what is in flight when the socket is lost, and opens a new one', async () => {
    vi.useFakeTimers();
    try {
      const { api, socket } = connect();
      socket.open();
      const lost = api.session.lockNow();
      socket.onclose?.();
      await expect(lost).rejects.toThrow('Lost the connection to CareShell; retrying.');
      expect(FakeSocket.instances).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(500);
      expect(FakeSocket.instances).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
