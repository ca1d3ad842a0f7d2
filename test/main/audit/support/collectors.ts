import { randomUUID } from 'node:crypto';
import { createServer as createHttpsServer } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Server as TlsServer } from 'node:tls';
import { messageOf } from '../../../../common/errors.js';
import { createTestCa } from '../../../../tools/local-idp/test-ca.js';

/** One CA and server certificate for 127.0.0.1/localhost per test file, made at run time. */
export function testTls() {
  const ca = createTestCa('CareShell audit test CA');
  const server = ca.issueServerCert({ dns: ['localhost'], ips: ['127.0.0.1'] });
  return { caPem: ca.caPem, certPem: server.certPem, keyPem: server.keyPem };
}

export interface SyslogMessage {
  pri: number;
  timestamp: string;
  hostname: string;
  appName: string;
  msgId: string;
  eventId: string;
  seq: number;
  xml: string;
  hadBom: boolean;
}

/** Parses one RFC 5424 message as CareShell writes it (the SD element carries eventId and seq). */
function parseSyslog(frame: Buffer): SyslogMessage {
  const bom = frame.indexOf(Buffer.from([0xef, 0xbb, 0xbf]));
  const header = frame.subarray(0, bom === -1 ? frame.length : bom).toString('utf8');
  const match = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) \[careshell@\d+ eventId="([^"]+)" seq="(\d+)"\] $/.exec(
    header,
  );
  if (!match) throw new Error(`not a CareShell RFC 5424 message: ${header}`);
  return {
    pri: Number(match[1]),
    timestamp: match[2]!,
    hostname: match[3]!,
    appName: match[4]!,
    msgId: match[6]!,
    eventId: match[7]!,
    seq: Number(match[8]),
    xml: frame.subarray(bom + 3).toString('utf8'),
    hadBom: bom !== -1,
  };
}

/** A TLS syslog collector (RFC 5425): reads octet-counted frames and keeps every message it parsed. */
export class SyslogCollector {
  readonly messages: SyslogMessage[] = [];
  readonly errors: string[] = [];
  private server?: TlsServer;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly tls: { certPem: string; keyPem: string }) {}

  async start(port = 0): Promise<void> {
    const server = createTlsServer({ cert: this.tls.certPem, key: this.tls.keyPem }, (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
      let pending = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        for (;;) {
          const space = pending.indexOf(0x20);
          if (space === -1) return;
          const length = Number(pending.subarray(0, space).toString('ascii'));
          if (!Number.isInteger(length) || length <= 0) {
            this.errors.push(`bad MSG-LEN "${pending.subarray(0, space).toString('ascii')}"`);
            socket.destroy();
            return;
          }
          if (pending.length < space + 1 + length) return;
          const frame = pending.subarray(space + 1, space + 1 + length);
          pending = pending.subarray(space + 1 + length);
          try {
            this.messages.push(parseSyslog(frame));
          } catch (error) {
            this.errors.push(messageOf(error));
          }
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Goes down hard, as a crashed collector would: listening stops and open connections are cut. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * A minimal FHIR server, with a real server's id rules: POST /fhir/AuditEvent creates a resource under an id
 * the server assigns (so a resent POST is a second resource), PUT /fhir/AuditEvent/<id> creates or updates
 * the resource with that id (update-as-create, 201 or 200). While `down` is set it answers 503; `refuse` is
 * asked about each resource and may answer with a 4xx instead; the next `loseResponses` writes are stored but
 * their answer is lost (the connection is cut), as when a network fails after the server has committed.
 */
export class FhirCollector {
  /** What the server holds, by resource id. */
  readonly resources = new Map<string, Record<string, unknown>>();
  /** Every write it stored, in order (a resend appears twice). */
  readonly received: { id: string; body: Record<string, unknown> }[] = [];
  readonly requests: { method: string; url: string; contentType: string | undefined }[] = [];
  down = false;
  loseResponses = 0;
  refuse: (body: Record<string, unknown>) => number | undefined = () => undefined;
  private server?: HttpsServer;
  port = 0;

  constructor(private readonly tls: { certPem: string; keyPem: string }) {}

  get baseUrl(): string {
    return `https://127.0.0.1:${this.port}/fhir`;
  }

  async start(): Promise<void> {
    const server = createHttpsServer({ cert: this.tls.certPem, key: this.tls.keyPem }, (req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.requests.push({ method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'] });
        if (this.down) {
          res.writeHead(503, { 'content-type': 'application/fhir+json' }).end('{"resourceType":"OperationOutcome"}');
          return;
        }
        const put = /^\/fhir\/AuditEvent\/([A-Za-z0-9.-]{1,64})$/.exec(req.url ?? '');
        if (!(req.method === 'POST' && req.url === '/fhir/AuditEvent') && !(req.method === 'PUT' && put)) {
          res.writeHead(404).end();
          return;
        }
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        if (put && body.id !== put[1]) {
          res
            .writeHead(400, { 'content-type': 'application/fhir+json' })
            .end('{"resourceType":"OperationOutcome","issue":[{"diagnostics":"id in the body differs from the URL"}]}');
          return;
        }
        const refusal = this.refuse(body);
        if (refusal !== undefined) {
          res
            .writeHead(refusal, { 'content-type': 'application/fhir+json' })
            .end('{"resourceType":"OperationOutcome","issue":[{"diagnostics":"refused by the test"}]}');
          return;
        }
        const id = put ? put[1]! : randomUUID();
        const created = !this.resources.has(id);
        const stored = { ...body, id };
        this.resources.set(id, stored);
        this.received.push({ id, body: stored });
        if (this.loseResponses > 0) {
          this.loseResponses--;
          req.socket.destroy();
          return;
        }
        res
          .writeHead(created ? 201 : 200, { 'content-type': 'application/fhir+json', location: `AuditEvent/${id}` })
          .end(JSON.stringify(stored));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
