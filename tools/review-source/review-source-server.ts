import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { messageOf } from '../../common/errors.js';
import { dateParam, matchesDate } from '../demo-ehr/access-log.js';
import { HttpError, readBody, sendJson } from '../demo-ehr/http-kit.js';

/**
 * The demo's review source (docs/break-glass-review.md#review-source): a small FHIR R4 store of AuditEvents on
 * 127.0.0.1. Every workstation's FHIR forwarder PUTs its events into it, so a privacy officer's queue spans
 * workstations; the review searches it by subtype and date. It keeps everything in memory and asks for no
 * credentials: it is a stand-in for the hospital's FHIR server or audit repository, never deployed.
 */
export interface ReviewSourceServer {
  /** FHIR base, e.g. https://127.0.0.1:4300/fhir */
  baseUrl: string;
  /** Every stored AuditEvent, in the order first stored. */
  resources(): object[];
  close(): Promise<void>;
}

const storedSchema = z.looseObject({
  resourceType: z.literal('AuditEvent'),
  id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/),
  recorded: z.iso.datetime({ offset: true }),
  subtype: z.array(z.looseObject({ system: z.string().optional(), code: z.string().optional() })).optional(),
  agent: z.array(z.looseObject({ who: z.looseObject({ identifier: z.object({ value: z.string() }).optional() }) })),
});
type Stored = z.infer<typeof storedSchema>;

const searchSchema = z.strictObject({
  subtype: z.array(z.string().min(1)).optional(),
  date: z.array(dateParam).optional(),
  agent: z.array(z.string().min(1)).optional(),
});

/** A token search value `system|code` or `code` against a Coding. */
function tokenMatches(value: string, coding: { system?: string; code?: string }): boolean {
  const bar = value.lastIndexOf('|');
  if (bar < 0) return coding.code === value;
  return coding.code === value.slice(bar + 1) && (bar === 0 ? !coding.system : coding.system === value.slice(0, bar));
}

const send = (res: ServerResponse, status: number, body: unknown) =>
  sendJson(res, status, body, 'application/fhir+json');

function outcome(res: ServerResponse, status: number, text: string): void {
  send(res, status, {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: status === 404 ? 'not-found' : 'invalid', diagnostics: text }],
  });
}

export async function startReviewSource(
  options: { tls?: { certPem: string; keyPem: string }; port?: number } = {},
): Promise<ReviewSourceServer> {
  const store = new Map<string, Stored>();
  let baseUrl = '';

  const search = (url: URL): object => {
    const raw: Record<string, string[]> = {};
    // Repeated parameters are ANDed, comma-separated values within one ORed (FHIR search).
    for (const [key, value] of url.searchParams) (raw[key] ??= []).push(value);
    const query = searchSchema.safeParse(raw);
    if (!query.success)
      throw new HttpError(400, query.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const { subtype, date, agent } = query.data;
    const matches = [...store.values()].filter(
      (r) =>
        (subtype ?? []).every((param) =>
          param.split(',').some((value) => (r.subtype ?? []).some((coding) => tokenMatches(value, coding))),
        ) &&
        (agent ?? []).every((param) =>
          param.split(',').some((value) => r.agent.some((a) => a.who.identifier?.value === value)),
        ) &&
        (date ?? []).every((param) => matchesDate(Date.parse(r.recorded), param)),
    );
    matches.sort((a, b) => Date.parse(a.recorded) - Date.parse(b.recorded));
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total: matches.length,
      link: [{ relation: 'self', url: url.href }],
      entry: matches.map((resource) => ({
        fullUrl: `${baseUrl}/AuditEvent/${resource.id}`,
        resource,
        search: { mode: 'match' },
      })),
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', baseUrl);
    const one = /^\/fhir\/AuditEvent\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && url.pathname === '/fhir/AuditEvent') return send(res, 200, search(url));
    if (req.method === 'GET' && one) {
      const found = store.get(decodeURIComponent(one[1]!));
      return found ? send(res, 200, found) : outcome(res, 404, `AuditEvent/${one[1]} is not here`);
    }
    if (req.method === 'PUT' && one) {
      if (!/^application\/(fhir\+)?json\b/.test(req.headers['content-type'] ?? ''))
        throw new HttpError(415, 'Send the AuditEvent as application/fhir+json.');
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req));
      } catch (error) {
        if (error instanceof HttpError) throw error;
        throw new HttpError(400, 'The body is not JSON.');
      }
      const parsed = storedSchema.safeParse(body);
      if (!parsed.success)
        throw new HttpError(400, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const id = decodeURIComponent(one[1]!);
      if (parsed.data.id !== id) throw new HttpError(400, `The body's id ${parsed.data.id} is not the URL's ${id}.`);
      const existed = store.has(id);
      store.set(id, parsed.data);
      return send(res, existed ? 200 : 201, parsed.data);
    }
    outcome(res, 404, `${req.method} ${url.pathname}: this server has only /fhir/AuditEvent`);
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) outcome(res, error.status, error.message);
      else outcome(res, 500, messageOf(error));
    });
  };
  const server = options.tls
    ? createHttpsServer({ cert: options.tls.certPem, key: options.tls.keyPem }, listener)
    : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/fhir`;
  return {
    baseUrl,
    resources: () => [...store.values()],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
