import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Clock } from '../../../common/clock.js';
import { messageOf } from '../../../common/errors.js';
import type { Random } from '../../../common/random.js';
import type { AuditSink } from '../audit-event.js';
import type { JournalFeed } from '../journal/audit-journal.js';
import type { ForwarderStatus } from './audit-forwarder.js';
import { AuditForwarder } from './audit-forwarder.js';
import type { AuditForwarderPolicy } from './audit-policy.js';
import type { AuditTransport } from './audit-transport.js';
import { CursorStore } from './cursor-store.js';
import { smtpMailer, SmtpAlertTransport } from '../alerting/smtp-alert-transport.js';
import { FhirHttpsTransport } from './fhir-https-transport.js';
import type { StoredAuditEvent } from '../journal/journal-reader.js';
import { RelpTlsTransport } from './relp-tls-transport.js';
import { formatSyslogMessage } from './syslog-frame.js';
import { SyslogTlsTransport } from './syslog-tls-transport.js';

export interface StartForwardersOptions {
  /** Read from by the forwarders, and where a stalled destination is recorded. */
  journal: JournalFeed & AuditSink;
  /** Names this workstation in the events the forwarders record. */
  workstation: string;
  log: { warn(message: string): void };
  /** `audit.forwarders` from the resolved machine policy. */
  destinations: readonly AuditForwarderPolicy[];
  /** Holds each destination's delivery cursor (<dataDir>/audit-forwarding in the app). */
  cursorDirectory: string;
  clock: Clock;
  random: Random;
}

export interface RunningForwarders {
  readonly forwarders: readonly AuditForwarder[];
  status(): ForwarderStatus[];
  /** Stops every forwarder; what they had not sent stays in the journal for the next start. */
  stop(): Promise<void>;
}

/**
 * Starts one store-and-forward forwarder per destination in the audit policy. Each one is woken by the
 * journal after every durable commit, so new events go out at once, and resumes from its cursor. Every
 * certificate and key file is read and checked first, so a wrong path fails the start naming the policy
 * key instead of failing later, quietly, on each connection attempt.
 */
/** With the default backoff (1 s doubling to 5 min), the tenth failure in a row comes after about 8.5 minutes. */
export const STALL_AFTER_FAILURES = 10;

export async function startForwarders(options: StartForwardersOptions): Promise<RunningForwarders> {
  const { journal, destinations, clock, random, workstation, log } = options;
  const transports = await Promise.all(
    destinations.map((destination, index) => createTransport(destination, index, clock)),
  );
  const cursors = new CursorStore(options.cursorDirectory);
  const forwarders = destinations.map(
    (destination, index) =>
      new AuditForwarder({
        destination: destination.id,
        journal,
        transport: transports[index]!,
        cursors,
        clock,
        random,
        retry: destination.retry,
        batchSize: destination.batchSize,
        audit: journal,
        workstation,
        log,
        stallAfterFailures: STALL_AFTER_FAILURES,
      }),
  );
  const stop = async () => {
    await Promise.all(forwarders.map((forwarder) => forwarder.stop()));
  };
  try {
    for (const forwarder of forwarders) await forwarder.start();
  } catch (error) {
    await stop();
    throw error;
  }
  return { forwarders, status: () => forwarders.map((forwarder) => forwarder.status()), stop };
}

const TLS_FILE_ROLES = {
  caFile: {
    what: 'a PEM certificate',
    fix: "set it to the PEM file of the CA that signed the collector's certificate, or leave it out to trust the system's CAs",
  },
  certFile: {
    what: 'a PEM certificate',
    fix: "set it to this workstation's client certificate (PEM) for mutual TLS, or leave out certFile and keyFile",
  },
  keyFile: {
    what: 'a PEM private key',
    fix: "set it to the private key (PEM) of certFile's certificate, or leave out certFile and keyFile",
  },
} as const;

async function createTransport(
  destination: AuditForwarderPolicy,
  index: number,
  clock: Clock,
): Promise<AuditTransport> {
  const key = (name: keyof typeof TLS_FILE_ROLES) =>
    `audit.forwarders[${index}].tls.${name} (forwarder "${destination.id}")`;
  const read = async (name: keyof typeof TLS_FILE_ROLES): Promise<string | undefined> => {
    const file = destination.tls[name];
    if (file === undefined) return undefined;
    const { what, fix } = TLS_FILE_ROLES[name];
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new Error(`${key(name)}: cannot read ${file} (${messageOf(error)}); ${fix}.`);
    }
    try {
      if (name === 'keyFile') createPrivateKey(text);
      else new X509Certificate(text);
    } catch (error) {
      throw new Error(`${key(name)}: ${file} is not ${what} (${messageOf(error)}); ${fix}.`);
    }
    return text;
  };
  const [ca, cert, privateKey] = [await read('caFile'), await read('certFile'), await read('keyFile')];
  if (
    cert !== undefined &&
    privateKey !== undefined &&
    !new X509Certificate(cert).checkPrivateKey(createPrivateKey(privateKey))
  ) {
    throw new Error(
      `${key('keyFile')}: ${destination.tls.keyFile} is not the key of the certificate in ${destination.tls.certFile}; ${TLS_FILE_ROLES.keyFile.fix}.`,
    );
  }
  if (destination.kind === 'email') {
    const { smtp } = destination;
    let pass: string | undefined;
    if (smtp.auth) {
      try {
        pass = (await readFile(smtp.auth.passwordFile, 'utf8')).trim();
      } catch (error) {
        throw new Error(
          `audit.forwarders[${index}].smtp.auth.passwordFile (forwarder "${destination.id}"): cannot read ${smtp.auth.passwordFile} (${messageOf(error)}); set it to a file (mode 0600) holding the mail account's password.`,
        );
      }
    }
    return new SmtpAlertTransport(
      {
        from: destination.from,
        to: destination.to,
        reviewInstructions: destination.reviewInstructions,
        relay: `${smtp.host}:${smtp.port}`,
      },
      smtpMailer({
        host: smtp.host,
        port: smtp.port,
        security: smtp.security,
        ...(smtp.auth && pass !== undefined ? { auth: { user: smtp.auth.user, pass } } : {}),
        ca,
        cert,
        key: privateKey,
        timeoutMs: destination.timeoutMs,
      }),
    );
  }
  if (destination.kind === 'fhir') {
    return new FhirHttpsTransport({
      baseUrl: destination.baseUrl,
      ca,
      cert,
      key: privateKey,
      site: destination.site,
      clock,
      timeoutMs: destination.timeoutMs,
    });
  }
  const frame = {
    appName: destination.appName,
    enterpriseNumber: destination.enterpriseNumber,
    enterpriseSiteId: destination.enterpriseSiteId,
  };
  const endpoint = { host: destination.host, port: destination.port, ca, cert, key: privateKey };
  const format = (event: StoredAuditEvent) => formatSyslogMessage(event, frame);
  const { connectTimeoutMs } = destination;
  if (destination.kind === 'atna-relp') {
    const { window, ackTimeoutMs } = destination;
    return new RelpTlsTransport({ ...endpoint, clock, connectTimeoutMs, ackTimeoutMs, window, format });
  }
  const { settleMs, resendWindowBytes } = destination;
  return new SyslogTlsTransport({ ...endpoint, clock, settleMs, connectTimeoutMs, resendWindowBytes, format });
}
