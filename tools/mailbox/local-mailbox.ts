import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One mail as the local mailbox received it. */
export interface ReceivedMail {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  /** The body, undecoded beyond the transfer encoding nodemailer uses for plain text (quoted-printable or 7bit). */
  text: string;
  headers: Record<string, string>;
  receivedAt: Date;
}

export interface LocalMailboxOptions {
  /** Serve STARTTLS with this certificate (PEM); without it the mailbox speaks plain SMTP only. */
  tls?: { certPem: string; keyPem: string };
  /** A fixed port (to come back on the same one after stop()); a free one by default. */
  port?: number;
}

export interface LocalMailbox {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Every mail received since the mailbox was made (kept across stop/start). */
  readonly mails: readonly ReceivedMail[];
  onMail(listener: (mail: ReceivedMail) => void): () => void;
  /** Stops listening and drops open connections: an outage, as a mail client sees it. */
  stop(): Promise<void>;
  /** Listens again on the same port after stop(). */
  start(): Promise<void>;
}

function parseMessage(raw: string): { headers: Record<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const quotedPrintable = /quoted-printable/i.test(headers['content-transfer-encoding'] ?? '');
  const text = quotedPrintable
    ? Buffer.from(
        body
          .replace(/=\r\n/g, '')
          .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        'latin1',
      ).toString('utf8')
    : body;
  return { headers, text: text.replace(/\r\n/g, '\n') };
}

/**
 * A local SMTP relay on 127.0.0.1 (npm smtp-server) that keeps what it receives: the privacy officer's
 * mailbox in the tests and the demo (docs/break-glass-review.md). It accepts any sender and recipient and
 * needs no login; it is never deployed.
 */
export async function startLocalMailbox(options: LocalMailboxOptions = {}): Promise<LocalMailbox> {
  const mails: ReceivedMail[] = [];
  const listeners = new Set<(mail: ReceivedMail) => void>();
  const makeServer = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: options.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
      ...(options.tls ? { key: options.tls.keyPem, cert: options.tls.certPem } : {}),
      logger: false,
      // An outage drops open connections at once instead of waiting for them to finish.
      closeTimeout: 10,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const { headers, text } = parseMessage(Buffer.concat(chunks).toString('latin1'));
          const mail: ReceivedMail = {
            messageId: headers['message-id'] ?? '',
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: headers.subject ?? '',
            text,
            headers,
            receivedAt: new Date(),
          };
          mails.push(mail);
          for (const listener of listeners) listener(mail);
          callback();
        });
      },
    });
  let server = makeServer();
  let port = options.port ?? 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.server.address() as AddressInfo).port;
        resolve();
      });
    });
  await listen();
  return {
    host: '127.0.0.1',
    get port() {
      return port;
    },
    mails,
    onMail(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    async start() {
      server = makeServer();
      await listen();
    },
  };
}
