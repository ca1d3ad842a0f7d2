import { open, rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { messageOf } from '../../../common/errors.js';
import { exportFhirBundle, exportJsonLines } from '../export/audit-export.js';
import type { JournalPosition } from '../journal/audit-journal.js';
import type { JournalReadError } from '../journal/journal-reader.js';
import { readEvents } from '../journal/journal-reader.js';
import { DEFAULT_MAX_UNSIGNED } from '../journal/verify-journal.js';
import { VerifyUsageError, verifyCommand } from './verify-command.js';
import { REVIEW_USAGE, ReviewUsageError, runReviewCommand } from './review-command.js';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Ends `tail --follow`; the bin wires it to SIGINT. */
  signal?: AbortSignal;
  /** How long `tail --follow` waits between looks at the journal. */
  pollMs?: number;
}

const USAGE = `Usage: careshell-audit <command> --dir <journal directory> [options]

  verify  --dir D (--public-key FILE ... | --keys K --fingerprint SHA256 ...)
          [--expect-head SEQ:HASH | --expect-checkpoint FILE] [--max-unsigned N] [--json]
          Checks the hash chain and every checkpoint signature under the keys given (a key file, or a
          key in K with a listed fingerprint: from IT records or the collector, never the folder alone),
          that the journal reaches the head a collector witnessed (its last audit.checkpoint), and that
          no more than N records (default ${DEFAULT_MAX_UNSIGNED}: policy journal.checkpointEvery - 1) follow
          the last checkpoint. Says which key signed which records. Exit 0 when intact; 1 and one line
          per break ("<segment> at byte <offset>: <what>") when not; 2 on a usage error.
  export  --dir D [--format jsonl|fhir] [--from ISO-TIME] [--to ISO-TIME] [--out FILE]
          Events in [from, to) as JSON lines (default) or a FHIR R4 Bundle of AuditEvents. A record
          that cannot be read is named on stderr and left out, and the exit code is then 1.
  tail    --dir D [-n N] [--follow]
          The last N events (default 20) as JSON lines; --follow keeps printing new ones.
${REVIEW_USAGE}`;

class UsageError extends Error {}

/** The `careshell-audit` command line; returns the process exit code. */
export async function runAuditCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'review') return await runReviewCommand(rest, io);
    const { values } = parseArgs({
      args: rest,
      options: {
        dir: { type: 'string' },
        keys: { type: 'string' },
        'public-key': { type: 'string', multiple: true },
        fingerprint: { type: 'string', multiple: true },
        'expect-head': { type: 'string' },
        'expect-checkpoint': { type: 'string' },
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
    if (command === undefined) throw new UsageError('no command given.');
    if (command === 'help' || command === '--help') {
      io.stdout(USAGE);
      return 0;
    }
    const dir = values.dir;
    if (!dir) throw new UsageError('--dir is required: the journal directory (the one holding seg-*.jsonl files).');
    switch (command) {
      case 'verify':
        return await verifyCommand(
          {
            dir,
            ...(values.keys === undefined ? {} : { keysDirectory: values.keys }),
            publicKeyFiles: values['public-key'] ?? [],
            fingerprints: values.fingerprint ?? [],
            maxUnsigned: wholeNumber('--max-unsigned', values['max-unsigned'] ?? String(DEFAULT_MAX_UNSIGNED)),
            ...(values['expect-head'] === undefined ? {} : { expectHead: values['expect-head'] }),
            ...(values['expect-checkpoint'] === undefined ? {} : { expectCheckpoint: values['expect-checkpoint'] }),
            json: values.json ?? false,
          },
          io.stdout,
        );
      case 'export':
        return await exportCommand(dir, values.format ?? 'jsonl', values.from, values.to, values.out, io);
      case 'tail':
        return await tail(dir, values.n ?? '20', values.follow ?? false, io);
      default:
        throw new UsageError(`unknown command "${command}"; use verify, export, tail or review.`);
    }
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof VerifyUsageError ||
      error instanceof ReviewUsageError ||
      (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      io.stderr(`careshell-audit: ${messageOf(error)}\n\n${USAGE}`);
      return 2;
    }
    io.stderr(`careshell-audit: ${messageOf(error)}\n`);
    return 1;
  }
}

function wholeNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new UsageError(`${flag} needs a whole number, not "${value}".`);
  return n;
}

function parseTime(flag: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const time = new Date(value);
  if (Number.isNaN(time.getTime()))
    throw new UsageError(`--${flag} "${value}" is not a date/time; use ISO 8601, e.g. 2026-03-01T00:00:00Z.`);
  return time;
}

/** Names each record left out on stderr, and counts them for the exit code. */
function unreadableReporter(io: CliIo) {
  const reporter = {
    count: 0,
    report: (problem: JournalReadError) => {
      reporter.count++;
      io.stderr(
        `careshell-audit: left out ${problem.segment} at byte ${problem.offset}${problem.seq === undefined ? '' : ` (record ${problem.seq})`}: ${problem.detail}\n`,
      );
    },
    /** The exit code: 1 when anything was left out. */
    finish(dir: string): number {
      if (reporter.count === 0) return 0;
      io.stderr(
        `careshell-audit: ${reporter.count} unreadable record(s) left out (listed above); everything else was written. Run "careshell-audit verify --dir ${dir}" to see what happened to them.\n`,
      );
      return 1;
    },
  };
  return reporter;
}

async function exportCommand(
  dir: string,
  format: string,
  from: string | undefined,
  to: string | undefined,
  out: string | undefined,
  io: CliIo,
): Promise<number> {
  if (format !== 'jsonl' && format !== 'fhir') throw new UsageError(`--format must be jsonl or fhir, not "${format}".`);
  const range = { from: parseTime('from', from), to: parseTime('to', to) };
  const unreadable = unreadableReporter(io);
  const options = { onUnreadable: unreadable.report };
  const chunks = format === 'fhir' ? exportFhirBundle(dir, range, options) : exportJsonLines(dir, range, options);
  if (out) await writeNewFile(out, chunks);
  else for await (const chunk of chunks) io.stdout(chunk);
  return unreadable.finish(dir);
}

/** Writes a new 0600 file (never overwrites one); on a failure part-way, removes it rather than leave half an export. */
async function writeNewFile(file: string, chunks: AsyncIterable<string>): Promise<void> {
  const handle = await open(file, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EEXIST'
      ? new Error(`${file} already exists; export never overwrites a file, so choose another --out.`)
      : error;
  });
  try {
    let pending = '';
    for await (const chunk of chunks) {
      pending += chunk;
      if (pending.length >= 1 << 16) {
        await handle.writeFile(pending);
        pending = '';
      }
    }
    await handle.writeFile(pending);
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(file, { force: true });
    throw new Error(`${messageOf(error)} Nothing was exported: ${file} was removed.`);
  }
}

async function tail(dir: string, count: string, follow: boolean, io: CliIo): Promise<number> {
  const n = wholeNumber('-n', count);
  const unreadable = unreadableReporter(io);
  const page = 10_000;
  let position: JournalPosition | undefined;
  // One reader for the first pass and for --follow, so each record (and each unreadable one) is seen once.
  const readMore = async () => {
    const { events, next } = await readEvents(dir, position, { maxEvents: page, onUnreadable: unreadable.report });
    if (next.segment) position = next;
    return events.map((stored) => `${JSON.stringify({ id: stored.id, seq: stored.seq, event: stored.event })}\n`);
  };
  const last: string[] = [];
  for (let lines = await readMore(); ; lines = await readMore()) {
    last.push(...lines);
    last.splice(0, Math.max(0, last.length - n));
    if (lines.length < page) break;
  }
  for (const line of last) io.stdout(line);
  while (follow && !io.signal?.aborted) {
    await new Promise((resolve) => setTimeout(resolve, io.pollMs ?? 1000));
    for (const line of await readMore()) io.stdout(line);
  }
  return unreadable.finish(dir);
}
