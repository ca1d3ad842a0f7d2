/**
 * A stand-in for the browser's WebSocket, for the harness transport's tests: records the frames the page sends;
 * the test opens it, answers, pushes (a string is delivered as it is, anything else as JSON) and drops it.
 */
export class FakeSocket {
  static readonly OPEN = 1;
  static readonly instances: FakeSocket[] = [];
  readyState = 0;
  readonly sent: { id: number; channel: string; payload?: unknown }[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((message: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  send(frame: string) {
    this.sent.push(JSON.parse(frame) as FakeSocket['sent'][number]);
  }
  open() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  receive(frame: unknown) {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
}

/** The FakeSocket class where createWsTransport expects the WebSocket constructor. */
export const fakeWebSocket = FakeSocket as unknown as typeof WebSocket;
