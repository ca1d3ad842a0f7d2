import { connect, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';

/**
 * A TCP relay on 127.0.0.1 standing for the network between the workstation and its collector. `cut()`
 * makes it a black hole, as a failed link is: nothing more goes through (in both directions, or only back from
 * the collector) and nothing is closed, so each end finds out only through its own timeouts; new connections
 * are accepted and go nowhere.
 * `heal()` drops what the cut left hanging (the state a real router would have lost) and relays again.
 */
export class TcpProxy {
  port = 0;
  private server?: Server;
  private cutOff = false;
  private readonly sockets = new Set<Socket>();
  /** The collector's side of each relayed connection. */
  private readonly upstreams = new Set<Socket>();

  constructor(private readonly targetPort: number) {}

  async start(): Promise<void> {
    const server = createServer((client) => this.relay(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** `answers`: only what the collector sends back is lost (its acknowledgements), the rest still arrives. */
  cut(what: 'both-ways' | 'answers' = 'both-ways'): void {
    this.cutOff = true;
    for (const socket of what === 'answers' ? this.upstreams : this.sockets) {
      socket.unpipe();
      socket.pause();
    }
  }

  heal(): void {
    this.cutOff = false;
    for (const socket of this.sockets) socket.destroy();
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private relay(client: Socket): void {
    this.track(client);
    if (this.cutOff) {
      client.pause();
      return;
    }
    const upstream = connect(this.targetPort, '127.0.0.1');
    this.track(upstream);
    this.upstreams.add(upstream);
    upstream.on('close', () => this.upstreams.delete(upstream));
    client.pipe(upstream);
    upstream.pipe(client);
    // One end closing closes the other, unless the link is cut (then nothing tells the other end).
    client.on('close', () => this.cutOff || upstream.destroy());
    upstream.on('close', () => this.cutOff || client.destroy());
  }
}
