import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../../common/clock.js';
import type { Random } from '../../common/random.js';
import type { AuditKeyStore } from './keys/audit-key-store.js';
import { AuditJournal } from './journal/audit-journal.js';
import type { AuditForwarderPolicy, AuditPolicy } from './forwarding/audit-policy.js';
import type { ForwarderStatus } from './forwarding/audit-forwarder.js';
import { AuditForwarder } from './forwarding/audit-forwarder.js';
import type { AuditTransport } from './forwarding/audit-transport.js';
import { CursorStore } from './forwarding/cursor-store.js';
import { FhirHttpsTransport } from './forwarding/fhir-https-transport.js';
import { formatSyslogMessage } from './forwarding/syslog-frame.js';
import { SyslogTlsTransport } from './forwarding/syslog-tls-transport.js';

export interface AuditTrailOptions {
  /** Journal directory: segment files, and `cursors/` for the forwarders. */
  directory: string;
  /** The parsed `audit` section of the machine policy (auditPolicySchema). */
  policy: AuditPolicy;
  keyStore: AuditKeyStore;
  clock: Clock;
  random: Random;
  workstation: string;
}

export interface AuditTrail {
  /** The AuditSink the session engine and everything else append to. */
  journal: AuditJournal;
  forwarders: readonly AuditForwarder[];
  status(): ForwarderStatus[];
  close(): Promise<void>;
}

/** Opens the journal and starts one forwarder per configured destination. */
export async function openAuditTrail(options: AuditTrailOptions): Promise<AuditTrail> {
  const { directory, policy, clock, random } = options;
  const transports = await Promise.all(policy.forwarders.map((destination, index) => createTransport(destination, index, clock)));
  const journal = await AuditJournal.open({ ...options, ...policy.journal });
  const cursors = new CursorStore(path.join(directory, 'cursors'));
  const forwarders = policy.forwarders.map(
    (destination, index) =>
      new AuditForwarder({ destination: destination.id, journal, transport: transports[index]!, cursors, clock, random, retry: destination.retry, batchSize: destination.batchSize }),
  );
  await Promise.all(forwarders.map((forwarder) => forwarder.start()));
  return {
    journal,
    forwarders,
    status: () => forwarders.map((forwarder) => forwarder.status()),
    async close() {
      await Promise.all(forwarders.map((forwarder) => forwarder.stop()));
      await journal.close();
    },
  };
}

async function createTransport(destination: AuditForwarderPolicy, index: number, clock: Clock): Promise<AuditTransport> {
  const read = async (key: 'caFile' | 'certFile' | 'keyFile') => {
    const file = destination.tls[key];
    if (file === undefined) return undefined;
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      throw new Error(`audit policy forwarders[${index}].tls.${key}: cannot read ${file} (${(error as Error).message})`);
    }
  };
  const [ca, cert, key] = await Promise.all([read('caFile'), read('certFile'), read('keyFile')]);
  if (destination.kind === 'fhir') {
    return new FhirHttpsTransport({ baseUrl: destination.baseUrl, ca, cert, key, site: destination.site, clock, timeoutMs: destination.timeoutMs });
  }
  const frame = { appName: destination.appName, enterpriseNumber: destination.enterpriseNumber, enterpriseSiteId: destination.enterpriseSiteId };
  return new SyslogTlsTransport({
    host: destination.host,
    port: destination.port,
    ca,
    cert,
    key,
    clock,
    settleMs: destination.settleMs,
    connectTimeoutMs: destination.connectTimeoutMs,
    format: (event) => formatSyslogMessage(event, frame),
  });
}
