import { EventEmitter } from 'node:events';
import { createConnection, type Socket } from 'node:net';
import {
  decodeMessage,
  encodeMessage,
  messageLength,
  MessageType,
  type DbusMessage,
  type DbusValue,
} from './dbus-wire.js';

/** The system bus: DBUS_SYSTEM_BUS_ADDRESS, else its well-known socket (D-Bus Specification, "Well-known Message Bus Instances"). */
export function systemBusAddress(env: NodeJS.ProcessEnv = process.env): string {
  return env.DBUS_SYSTEM_BUS_ADDRESS || 'unix:path=/var/run/dbus/system_bus_socket';
}

/** The bus itself, for Hello, AddMatch, RequestName. */
export const BUS_DRIVER = {
  destination: 'org.freedesktop.DBus',
  path: '/org/freedesktop/DBus',
  interface: 'org.freedesktop.DBus',
} as const;

export class DbusError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message);
    this.name = 'DbusError';
  }
}

export interface DbusCall {
  destination: string;
  path: string;
  interface: string;
  member: string;
  signature?: string;
  body?: DbusValue[];
}

/** The socket path of a unix:path= bus address (the only kind the system bus uses). */
export function socketPathOf(address: string): string {
  for (const candidate of address.split(';')) {
    const [transport, params = ''] = candidate.split(':', 2) as [string, string?];
    if (transport !== 'unix') continue;
    const path = params
      .split(',')
      .map((kv) => kv.split('='))
      .find(([key]) => key === 'path')?.[1];
    if (path) return decodeURIComponent(path);
  }
  throw new DbusError('org.freedesktop.DBus.Error.BadAddress', `the bus address "${address}" has no unix:path= entry`);
}

/**
 * One authenticated connection to a message bus over its unix socket: SASL EXTERNAL (the kernel vouches for our
 * uid), then Hello. Emits 'message' for every signal and incoming call, and 'close' once when the socket ends.
 */
export class DbusConnection extends EventEmitter<{ message: [DbusMessage]; close: [Error | undefined] }> {
  /** The unique name the bus gave this connection (":1.42"). */
  uniqueName = '';
  private serial = 0;
  private readonly pending = new Map<number, { resolve(m: DbusMessage): void; reject(e: Error): void }>();
  private buffered: Uint8Array = new Uint8Array(0);
  private closed = false;

  private constructor(private readonly socket: Socket) {
    super();
  }

  static async open(
    address: string,
    { uid = process.getuid?.() ?? 0, timeoutMs = 5_000 } = {},
  ): Promise<DbusConnection> {
    const socket = createConnection(socketPathOf(address));
    const connection = new DbusConnection(socket);
    const timer = setTimeout(
      () => socket.destroy(new Error(`the bus at ${address} did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    try {
      await connection.authenticate(uid);
      const hello = await connection.call({ ...BUS_DRIVER, member: 'Hello' });
      connection.uniqueName = String(hello[0]);
      return connection;
    } catch (error) {
      socket.destroy();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private authenticate(uid: number): Promise<void> {
    const { socket } = this;
    return new Promise((resolve, reject) => {
      let text = '';
      const onData = (chunk: Buffer) => {
        text += chunk.toString('latin1');
        const end = text.indexOf('\r\n');
        if (end < 0) {
          if (text.length > 512) fail(new Error('the bus sent an over-long authentication line'));
          return;
        }
        const line = text.slice(0, end);
        if (!line.startsWith('OK '))
          return fail(
            new DbusError(
              'org.freedesktop.DBus.Error.AuthFailed',
              `the bus refused authentication as uid ${uid}: "${line}"`,
            ),
          );
        socket.off('data', onData).off('error', fail).off('close', onClose);
        socket.write('BEGIN\r\n');
        this.attach();
        const rest = Buffer.from(text.slice(end + 2), 'latin1');
        if (rest.length > 0) this.receive(rest);
        resolve();
      };
      const fail = (error: Error) => {
        socket.off('data', onData).off('error', fail).off('close', onClose);
        reject(error);
      };
      const onClose = () => fail(new Error('the bus closed the connection during authentication'));
      socket.on('data', onData).on('error', fail).on('close', onClose);
      socket.write(`\0AUTH EXTERNAL ${Buffer.from(String(uid)).toString('hex')}\r\n`);
    });
  }

  private attach(): void {
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.socket.on('error', (error) => this.shut(error));
    this.socket.on('close', () => this.shut(undefined));
  }

  private receive(chunk: Uint8Array): void {
    const joined = new Uint8Array(this.buffered.length + chunk.length);
    joined.set(this.buffered);
    joined.set(chunk, this.buffered.length);
    let rest = joined;
    try {
      for (let length = messageLength(rest); length !== undefined; length = messageLength(rest)) {
        const message = decodeMessage(rest.subarray(0, length));
        rest = rest.subarray(length);
        this.dispatch(message);
      }
    } catch (error) {
      // A stream we cannot parse cannot be resynchronised: drop the connection and say why.
      this.socket.destroy(error as Error);
      return;
    }
    this.buffered = rest.slice();
  }

  private dispatch(message: DbusMessage): void {
    if (message.type === MessageType.methodReturn || message.type === MessageType.error) {
      const waiting = message.replySerial === undefined ? undefined : this.pending.get(message.replySerial);
      if (!waiting) return;
      this.pending.delete(message.replySerial!);
      if (message.type === MessageType.methodReturn) waiting.resolve(message);
      else
        waiting.reject(
          new DbusError(
            message.errorName ?? 'org.freedesktop.DBus.Error.Failed',
            typeof message.body[0] === 'string' ? message.body[0] : (message.errorName ?? 'error'),
          ),
        );
      return;
    }
    this.emit('message', message);
  }

  private shut(error: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    const reason = error ?? new Error('the bus connection closed');
    for (const waiting of this.pending.values()) waiting.reject(reason);
    this.pending.clear();
    this.emit('close', error);
  }

  /** Sends a message with the next serial; returns that serial. */
  send(message: Omit<DbusMessage, 'serial' | 'sender'>): number {
    if (this.closed) throw new Error('the bus connection is closed');
    const serial = ++this.serial;
    this.socket.write(encodeMessage({ ...message, serial }));
    return serial;
  }

  /** Calls a method and resolves with the reply body; a D-Bus error reply rejects with DbusError. */
  call(call: DbusCall): Promise<DbusValue[]> {
    return new Promise((resolve, reject) => {
      try {
        const serial = this.send({
          ...call,
          type: MessageType.methodCall,
          flags: 0,
          signature: call.signature ?? '',
          body: call.body ?? [],
        });
        this.pending.set(serial, { resolve: (m) => resolve(m.body), reject });
      } catch (error) {
        reject(error as Error);
      }
    });
  }

  /** Asks the bus to route matching signals here (D-Bus Specification, "Match Rules"). */
  async addMatch(rule: Record<string, string>): Promise<void> {
    const text = Object.entries(rule)
      .map(([key, value]) => `${key}='${value.replace(/'/g, "'\\''")}'`)
      .join(',');
    await this.call({ ...BUS_DRIVER, member: 'AddMatch', signature: 's', body: [text] });
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }
}
