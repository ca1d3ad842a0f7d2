import type { StoredAuditEvent } from '../journal/journal-reader.js';
import type { AuditSourceOptions } from '../catalogue/dicom-audit-message.js';
import { toDicomAuditMessage } from '../catalogue/dicom-audit-message.js';

export interface SyslogFrameOptions extends AuditSourceOptions {
  appName: string;
  /** Private enterprise number naming CareShell's structured data element (RFC 5424 §7.2.2). */
  enterpriseNumber: number;
}

// RFC 5424 facility 10 (security/authorization); severity 5 notice for success, 4 warning for failure.
const AUTHPRIV = 10;

/** PRINTUSASCII only, no spaces, bounded: what RFC 5424 allows in HOSTNAME, APP-NAME and friends. */
function headerField(value: string, maxLength: number): string {
  const cleaned = value.replace(/[^\x21-\x7e]/g, '_').slice(0, maxLength);
  return cleaned.length > 0 ? cleaned : '-';
}

function sdValue(value: string): string {
  return value.replace(/[\\"\]]/g, (c) => `\\${c}`);
}

/**
 * One RFC 5424 syslog message carrying the DICOM audit message, as IHE ITI-20 asks: MSGID "IHE+RFC-3881",
 * the XML as a UTF-8 MSG with BOM. A structured data element carries the stable event id and seq so the
 * collector can drop duplicates.
 */
export function formatSyslogMessage(record: StoredAuditEvent, options: SyslogFrameOptions): Buffer {
  const severity = record.event.outcome === 'success' ? 5 : 4;
  const header = [
    `<${AUTHPRIV * 8 + severity}>1`,
    record.event.at,
    headerField(record.event.workstation, 255),
    headerField(options.appName, 48),
    headerField(String(process.pid), 128),
    'IHE+RFC-3881',
  ].join(' ');
  const sd = `[careshell@${options.enterpriseNumber} eventId="${sdValue(record.id)}" seq="${record.seq}"]`;
  return Buffer.concat([
    Buffer.from(`${header} ${sd} `, 'utf8'),
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from(toDicomAuditMessage(record, options), 'utf8'),
  ]);
}

/** RFC 5425 §4.3 octet counting: MSG-LEN SP SYSLOG-MSG. */
export function octetCountedFrame(message: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${message.length} `, 'ascii'), message]);
}
