import type { KeyObject } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { exportFhirBundle, exportJsonLines, journalEvents } from '../export/audit-export.js';
import type { JournalPosition } from '../journal/audit-journal.js';
import { readEvents } from '../journal/journal-reader.js';
import { DEFAULT_MAX_UNSIGNED, verifyJournal } from '../journal/verify-journal.js';
import { keyIdOf } from '../keys/audit-key-store.js';
import { loadPublicKeyFile, loadPublicKeys } from '../keys/file-audit-key-store.js';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Ends `tail --follow`; the bin wires it to SIGINT. */
  signal?: AbortSignal;
  /** How long `tail --follow` waits between looks at the journal. */
  pollMs?: number;
}

const USAGE = `Usage: careshell-audit <command> --dir <journal directory> [options]

  verify  --dir D (--keys K | --public-key FILE ...) [--max-unsigned N] [--json]
          Checks the hash chain and every checkpoint signature, and that no more than N records
          (default ${DEFAULT_MAX_UNSIGNED}: policy journal.checkpointEvery - 1) follow the last checkpoint.
          Exit 0 when intact; 1 and one line per break ("<segment> at byte <offset>: <what>") when
          not; 2 on a usage error.
  export  --dir D [--format jsonl|fhir] [--from ISO-TIME] [--to ISO-TIME] [--out FILE]
          Events in [from, to) as JSON lines (default) or a FHIR R4 Bundle of AuditEvents.
  tail    --dir D [-n N] [--follow]
          The last N events (default 20) as JSON lines; --follow keeps printing new ones.
`;

class UsageError extends Error {}

/** The `careshell-audit` command line; returns the process exit code. */
export async function runAuditCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const { values } = parseArgs({
      args: rest,
      options: {
        dir: { type: 'string' },
        keys: { type: 'string' },
        'public-key': { type: 'string', multiple: true },
        json: { type: 'boolean' },
        'max-unsigned': { type: 'string' },
        format: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        out: { type: 'string' },
        n: { type: 'string', short: 'n' },
        follow: { type: 'boolean', short: 'f' },
      },
      strict: true,
    });
    if (command === undefined || command === 'help' || command === '--help') {
      io.stdout(USAGE);
      return command === undefined ? 2 : 0;
    }
    const dir = values.dir;
    if (!dir) throw new UsageError('--dir is required: the journal directory (the one holding seg-*.jsonl files).');
    switch (command) {
      case 'verify':
        return await verify(dir, values.keys, values['public-key'] ?? [], wholeNumber('--max-unsigned', values['max-unsigned'] ?? String(DEFAULT_MAX_UNSIGNED)), values.json ?? false, io);
      case 'export':
        return await exportCommand(dir, values.format ?? 'jsonl', values.from, values.to, values.out, io);
      case 'tail':
        return await tail(dir, values.n ?? '20', values.follow ?? false, io);
      default:
        throw new UsageError(`unknown command "${command}"; use verify, export or tail.`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`careshell-audit: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    io.stderr(`careshell-audit: ${(error as Error).message}\n`);
    return 1;
  }
}

function wholeNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new UsageError(`${flag} needs a whole number, not "${value}".`);
  return n;
}

async function verify(dir: string, keysDir: string | undefined, keyFiles: string[], maxUnsigned: number, json: boolean, io: CliIo): Promise<number> {
  if (!keysDir && keyFiles.length === 0) {
    throw new UsageError('checkpoint signatures need trusted keys: pass --keys <key store directory> or --public-key <file.pub.pem>.');
  }
  const keys = new Map<string, KeyObject>(keysDir ? await loadPublicKeys(keysDir) : []);
  for (const file of keyFiles) {
    const key = await loadPublicKeyFile(file);
    keys.set(keyIdOf(key), key);
  }
  if (keys.size === 0) throw new UsageError(`no public keys (*.pub.pem) found in ${keysDir}.`);
  const report = await verifyJournal(dir, keys, { threads: availableParallelism(), maxUnsigned });
  if (json) {
    io.stdout(`${JSON.stringify(report)}\n`);
  } else {
    for (const p of report.problems) io.stdout(`BROKEN ${p.segment} at byte ${p.offset}${p.seq === undefined ? '' : ` (record ${p.seq})`}: ${p.problem}\n`);
    const summary = `${report.records} records (${report.events} events, ${report.checkpoints} checkpoints) in ${report.segments} segments, seq ${report.firstSeq ?? '-'}..${report.lastSeq ?? '-'}`;
    const unsigned = report.unsignedRecords > 0 ? `; ${report.unsignedRecords} records after the last checkpoint are chained but not yet signed` : '';
    io.stdout(report.ok ? `OK: ${summary}${unsigned}\n` : `FAILED: ${report.problems.length} problem(s); ${summary}\n`);
  }
  return report.ok ? 0 : 1;
}

function parseTime(flag: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new UsageError(`--${flag} "${value}" is not a date/time; use ISO 8601, e.g. 2026-03-01T00:00:00Z.`);
  return time;
}

async function exportCommand(dir: string, format: string, from: string | undefined, to: string | undefined, out: string | undefined, io: CliIo): Promise<number> {
  if (format !== 'jsonl' && format !== 'fhir') throw new UsageError(`--format must be jsonl or fhir, not "${format}".`);
  const range = { from: parseTime('from', from), to: parseTime('to', to) };
  const chunks = format === 'fhir' ? exportFhirBundle(dir, range) : exportJsonLines(dir, range);
  if (!out) {
    for await (const chunk of chunks) io.stdout(chunk);
    return 0;
  }
  const file = createWriteStream(out, { flags: 'wx', mode: 0o600 });
  for await (const chunk of chunks) if (!file.write(chunk)) await once(file, 'drain');
  file.end();
  await once(file, 'finish');
  return 0;
}

async function tail(dir: string, count: string, follow: boolean, io: CliIo): Promise<number> {
  const n = wholeNumber('-n', count);
  const last: string[] = [];
  let position: JournalPosition | undefined;
  for await (const stored of journalEvents(dir)) {
    last.push(`${JSON.stringify({ id: stored.id, seq: stored.seq, event: stored.event })}\n`);
    if (last.length > n) last.shift();
    position = stored.next;
  }
  for (const line of last) io.stdout(line);
  while (follow && !io.signal?.aborted) {
    await new Promise((resolve) => setTimeout(resolve, io.pollMs ?? 1000));
    const { events, next } = await readEvents(dir, position, { maxEvents: 10_000 });
    for (const stored of events) io.stdout(`${JSON.stringify({ id: stored.id, seq: stored.seq, event: stored.event })}\n`);
    if (next.segment) position = next;
  }
  return 0;
}
