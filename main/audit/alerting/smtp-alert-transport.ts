import { createRequire } from 'node:module';
import type * as Nodemailer from 'nodemailer';
import type { SendMailOptions, Transporter } from 'nodemailer';
import { messageOf } from '../../../common/errors.js';
import { isGrantedBreakGlass } from '../break-glass-details.js';
import type { StoredAuditEvent } from '../journal/journal-reader.js';
import type { AuditTransport } from '../forwarding/audit-transport.js';
import { DeliveryError } from '../forwarding/audit-transport.js';
import { breakGlassAlertMail } from './break-glass-alert-mail.js';

export interface SmtpRelayOptions {
  host: string;
  port: number;
  security: 'starttls' | 'tls' | 'plain';
  auth?: { user: string; pass: string };
  ca?: string;
  cert?: string;
  key?: string;
  timeoutMs: number;
}

/** What the transport needs of nodemailer: one mail handed to the relay, resolved once the relay took it. */
export interface AlertMailer {
  sendMail(mail: SendMailOptions): Promise<unknown>;
  close(): void;
}

/**
 * nodemailer to the relay: STARTTLS required (`starttls`), TLS from the start (`tls`), or plain to this machine.
 * nodemailer is loaded at the first mail, not at start-up: most workstations never send one, and the lock screen
 * should not wait for it (docs/performance.md).
 */
export function smtpMailer(relay: SmtpRelayOptions): AlertMailer {
  let transporter: Transporter | undefined;
  return {
    sendMail: (mail) => (transporter ??= createTransporter(relay)).sendMail(mail),
    close: () => transporter?.close(),
  };
}

function createTransporter(relay: SmtpRelayOptions): Transporter {
  const { host, port, security, auth, ca, cert, key, timeoutMs } = relay;
  // Not a module-level `require`: bundles that add their own (electron-vite's ESM shim) would declare it twice.
  const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof Nodemailer;
  return nodemailer.createTransport({
    host,
    port,
    secure: security === 'tls',
    requireTLS: security === 'starttls',
    ignoreTLS: security === 'plain',
    ...(auth ? { auth } : {}),
    tls: { minVersion: 'TLSv1.2', ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
}

export interface SmtpAlertOptions {
  from: string;
  to: readonly string[];
  reviewInstructions: string;
  /** Names the relay in errors. */
  relay: string;
}

/**
 * The privacy officer's alert as a forwarding destination: reads the journal like the other forwarders, and
 * mails each granted break-glass start (every other event is passed over). The relay's 250 answer to the
 * message is the acknowledgement; a mail it did not accept stops the batch there, so the forwarder resends
 * from it after an outage or a restart. A crash between the relay's answer and the cursor save sends that
 * mail again, with the same Message-ID.
 */
export class SmtpAlertTransport implements AuditTransport {
  constructor(
    private readonly options: SmtpAlertOptions,
    private readonly mailer: AlertMailer,
  ) {}

  async send(events: readonly StoredAuditEvent[]): Promise<void> {
    const { from, to, reviewInstructions } = this.options;
    for (const [index, record] of events.entries()) {
      if (!isGrantedBreakGlass(record.event)) continue;
      const mail = breakGlassAlertMail(record, reviewInstructions);
      try {
        await this.mailer.sendMail({
          from,
          to: [...to],
          subject: mail.subject,
          text: mail.text,
          messageId: mail.messageId,
          date: new Date(record.event.at),
          headers: { 'X-CareShell-Event': record.id },
        });
      } catch (error) {
        throw new DeliveryError(
          `the mail relay ${this.options.relay} did not take the break-glass alert for record ${record.seq}: ${messageOf(error)}`,
          index,
        );
      }
    }
  }

  async close(): Promise<void> {
    this.mailer.close();
  }
}
