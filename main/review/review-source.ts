import { z } from 'zod';
import type { AuditEvent } from '../audit/audit-event.js';
import { CARESHELL_EVENT_SYSTEM } from '../audit/catalogue/event-catalogue.js';
import { toFhirAuditEvent } from '../audit/catalogue/fhir-audit-event.js';
import type { FhirRest } from './fhir-rest.js';
import { JUST_IN_TIME_REVIEW_TYPES } from './just-in-time-queue.js';
import { TEMPORARY_STAFF_REVIEW_TYPES } from './temporary-staff-queue.js';
import { recordFromFhir, type ReviewRecord } from './review-record.js';

/** Where the review reads episodes and writes decisions: every workstation's break-glass events in one place. */
export interface ReviewSource {
  /** Every break-glass record (start, stop, review), just-in-time and temporary staff record at or after `since`. */
  search(since: Date): Promise<{ records: ReviewRecord[]; unreadable: string[] }>;
  /** Stores one record under its own id (a resend updates it). */
  put(record: { id: string; seq: number; event: AuditEvent }): Promise<void>;
}

const bundleSchema = z.object({
  resourceType: z.literal('Bundle'),
  entry: z.array(z.object({ resource: z.unknown() })).default([]),
  link: z.array(z.object({ relation: z.string(), url: z.string() })).default([]),
});

/** Break-glass's records, and just-in-time's and temporary staff's, listed beside them (main/review/*-queue.ts). */
const BREAK_GLASS_TYPES = [
  'breakglass.start',
  'breakglass.stop',
  'breakglass.review',
  ...JUST_IN_TIME_REVIEW_TYPES,
  ...TEMPORARY_STAFF_REVIEW_TYPES,
];
/** A guard against a server whose next links never end. */
const MAX_PAGES = 100;

/**
 * The review source as a FHIR R4 server (docs/break-glass-review.md#review-source): `AuditEvent` searched by
 * CareShell's subtype codes and `date`, following the Bundle's next links; a decision is PUT to
 * `AuditEvent/<event id>` like the FHIR forwarder does, so its later forwarded copy updates it.
 */
export class FhirReviewSource implements ReviewSource {
  private readonly base: URL;

  constructor(
    baseUrl: string,
    private readonly rest: FhirRest,
    private readonly site?: string,
  ) {
    this.base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  }

  async search(since: Date): Promise<{ records: ReviewRecord[]; unreadable: string[] }> {
    const url = new URL('AuditEvent', this.base);
    url.searchParams.set('subtype', BREAK_GLASS_TYPES.map((t) => `${CARESHELL_EVENT_SYSTEM}|${t}`).join(','));
    url.searchParams.set('date', `ge${since.toISOString()}`);
    const records: ReviewRecord[] = [];
    const unreadable: string[] = [];
    let next: URL | undefined = url;
    for (let page = 0; next && page < MAX_PAGES; page++) {
      const parsed = bundleSchema.safeParse(await this.rest.get(next));
      if (!parsed.success) throw new Error(`the review source at ${this.base.href} did not answer a FHIR Bundle`);
      for (const { resource } of parsed.data.entry) {
        const read = recordFromFhir(resource);
        if (read.ok) records.push(read.record);
        else unreadable.push(read.problem);
      }
      const link = parsed.data.link.find((l) => l.relation === 'next')?.url;
      // Only pages of the same server are followed: a link is data from that server, not an instruction.
      next = link && URL.canParse(link) && new URL(link).origin === this.base.origin ? new URL(link) : undefined;
    }
    return { records, unreadable };
  }

  async put(record: { id: string; seq: number; event: AuditEvent }): Promise<void> {
    await this.rest.put(
      new URL(`AuditEvent/${encodeURIComponent(record.id)}`, this.base),
      toFhirAuditEvent(record, this.site ? { site: this.site } : {}),
    );
  }
}
