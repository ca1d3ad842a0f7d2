import { Agent, request } from 'node:https';
import type { Clock } from '../../../common/clock.js';
import { messageOf } from '../../../common/errors.js';
import { toFhirAuditEvent } from '../catalogue/fhir-audit-event.js';
import type { StoredAuditEvent } from '../journal/journal-reader.js';
import type { AuditTransport } from './audit-transport.js';
import { DeliveryError } from './audit-transport.js';

export interface FhirHttpsOptions {
  /** FHIR R4 base URL (https); each event is PUT to `<base>/AuditEvent/<event id>`. */
  baseUrl: string;
  ca?: string;
  cert?: string;
  key?: string;
  site?: string;
  clock: Clock;
  timeoutMs: number;
}

/**
 * FHIR AuditEvent transport: one PUT per event to `AuditEvent/<stable event id>`, in journal order, over a
 * keep-alive HTTPS connection. Update-as-create makes a resend idempotent: a POST would let the server
 * assign a new id each time, so an event whose acknowledgement was lost would be stored twice. A 2xx
 * answer is the collector's acknowledgement; anything else stops the batch there, so the forwarder
 * retries from the first event not acknowledged.
 */
export class FhirHttpsTransport implements AuditTransport {
  private readonly agent: Agent;
  private readonly base: URL;

  constructor(private readonly options: FhirHttpsOptions) {
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: 1,
      ca: options.ca,
      cert: options.cert,
      key: options.key,
      minVersion: 'TLSv1.2',
    });
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  }

  async send(events: readonly StoredAuditEvent[]): Promise<void> {
    for (const [index, event] of events.entries()) {
      try {
        await this.put(
          new URL(`AuditEvent/${encodeURIComponent(event.id)}`, this.base),
          JSON.stringify(toFhirAuditEvent(event, { site: this.options.site })),
        );
      } catch (error) {
        throw new DeliveryError(messageOf(error), index);
      }
    }
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }

  private put(endpoint: URL, body: string): Promise<void> {
    const { clock, timeoutMs } = this.options;
    return new Promise((resolve, reject) => {
      const req = request(endpoint, {
        method: 'PUT',
        agent: this.agent,
        headers: {
          'content-type': 'application/fhir+json',
          accept: 'application/fhir+json',
          'content-length': Buffer.byteLength(body),
        },
      });
      const cancel = clock.setTimer(timeoutMs, () =>
        req.destroy(new Error(`no answer from ${endpoint.href} within ${timeoutMs} ms`)),
      );
      req.on('error', (error) => {
        cancel();
        reject(new Error(`cannot deliver to the FHIR server at ${endpoint.href}: ${error.message}`));
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          cancel();
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else
            reject(
              new Error(
                `the FHIR server at ${endpoint.href} refused the AuditEvent: HTTP ${status} ${Buffer.concat(chunks).toString('utf8').slice(0, 500)}`,
              ),
            );
        });
      });
      req.end(body);
    });
  }
}
