import { toFhirAuditEvent } from '../catalogue/fhir-audit-event.js';
import type { JournalPosition } from '../journal/audit-journal.js';
import type { JournalReadError, StoredAuditEvent } from '../journal/journal-reader.js';
import { readEvents } from '../journal/journal-reader.js';

const PAGE = 10_000;

/**
 * Every event in journal order, read page by page (an export of years of events never sits in memory at
 * once). Records that cannot be read go to `onUnreadable` and are skipped; without it, reading fails at them.
 */
export async function* journalEvents(
  directory: string,
  from?: JournalPosition,
  onUnreadable?: (problem: JournalReadError) => void,
): AsyncGenerator<StoredAuditEvent> {
  let position = from;
  for (;;) {
    const { events, next } = await readEvents(directory, position, {
      maxEvents: PAGE,
      ...(onUnreadable ? { onUnreadable } : {}),
    });
    yield* events;
    if (events.length < PAGE) return;
    position = next;
  }
}

export interface TimeRange {
  from?: Date;
  to?: Date;
}

export interface ExportOptions {
  /** Reports each record that cannot be read; it is left out of the export. */
  onUnreadable?: (problem: JournalReadError) => void;
  /** FHIR `AuditEvent.source.site`. */
  site?: string;
}

function inRange(event: StoredAuditEvent, range: TimeRange): boolean {
  const at = Date.parse(event.event.at);
  return (
    (range.from === undefined || at >= range.from.getTime()) && (range.to === undefined || at < range.to.getTime())
  );
}

/** JSON lines: one `{"id","seq","event"}` object per line, for SIEM import and scripts. */
export async function* exportJsonLines(
  directory: string,
  range: TimeRange,
  options: ExportOptions = {},
): AsyncGenerator<string> {
  for await (const stored of journalEvents(directory, undefined, options.onUnreadable)) {
    if (inRange(stored, range)) yield `${JSON.stringify({ id: stored.id, seq: stored.seq, event: stored.event })}\n`;
  }
}

/** A FHIR R4 Bundle (type "collection") of AuditEvent resources, streamed as text. */
export async function* exportFhirBundle(
  directory: string,
  range: TimeRange,
  options: ExportOptions = {},
): AsyncGenerator<string> {
  yield '{"resourceType":"Bundle","type":"collection","entry":[';
  let first = true;
  for await (const stored of journalEvents(directory, undefined, options.onUnreadable)) {
    if (!inRange(stored, range)) continue;
    yield `${first ? '' : ','}\n${JSON.stringify({ fullUrl: `urn:uuid:${stored.id}`, resource: toFhirAuditEvent(stored, { site: options.site }) })}`;
    first = false;
  }
  yield '\n]}\n';
}
