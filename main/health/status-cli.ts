import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { parseArgs } from 'node:util';
import { messageOf } from '../../common/errors.js';
import { defaultDataFolders, type DataFolderEnvironment } from './data-folder.js';
import { statusFilePath, workstationStatusSchema, type WorkstationStatus } from './workstation-status.js';

/** What `careshell-status` concludes; `ok` is the only verdict that exits 0. */
export type StatusVerdict = 'ok' | 'degraded' | 'starting' | 'locked' | 'stale' | 'not-running' | 'unreadable';

export interface StatusReport {
  verdict: StatusVerdict;
  /** One sentence for the person reading it: what is wrong and what to do. */
  message: string;
  file: string;
  /** Seconds since the app last wrote the file. */
  ageSeconds?: number;
  issues?: string[];
  status?: WorkstationStatus;
}

export interface StatusCliIo extends Partial<DataFolderEnvironment> {
  stdout(text: string): void;
  stderr(text: string): void;
  now?: () => Date;
  /** Whether a process with this id exists (process.kill(pid, 0) by default). */
  isRunning?: (pid: number) => boolean;
}

const USAGE = `Usage: careshell-status [--data-dir <folder>] [--file <status.json>]

Prints CareShell's health on this machine as JSON (docs/it-guide.md#health) and exits 0 when it is running and
healthy, 1 when it needs attention (not running, hung, locked on a start problem, a reader or audit collector
failing), 2 on a usage error. Without --data-dir it looks in the app's data folder of the user running it, or
in CARESHELL_DATA_DIR.
`;

/** `careshell-status`: reads the status file the running app keeps (main/health/health-monitor.ts). */
export async function runStatusCli(argv: readonly string[], io: StatusCliIo): Promise<number> {
  let values: { 'data-dir'?: string | undefined; file?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { 'data-dir': { type: 'string' }, file: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.stderr(`careshell-status: ${messageOf(error)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const env = io.env ?? process.env;
  const candidates = values.file
    ? [values.file]
    : (values['data-dir'] ?? env.CARESHELL_DATA_DIR)
      ? [statusFilePath((values['data-dir'] ?? env.CARESHELL_DATA_DIR)!)]
      : defaultDataFolders({ platform: io.platform ?? process.platform, homedir: io.homedir ?? homedir(), env }).map(
          statusFilePath,
        );
  const report = await inspect(candidates, io);
  io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  return report.verdict === 'ok' ? 0 : 1;
}

async function inspect(candidates: readonly string[], io: StatusCliIo): Promise<StatusReport> {
  let file = candidates[0]!;
  let text: string | undefined;
  for (const candidate of candidates) {
    try {
      text = await readFile(candidate, 'utf8');
      file = candidate;
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        return { verdict: 'unreadable', file: candidate, message: `Cannot read ${candidate}: ${messageOf(error)}.` };
      }
    }
  }
  if (text === undefined) {
    return {
      verdict: 'not-running',
      file,
      message:
        `No status file (looked for ${candidates.join(', ')}): CareShell has not run for this user, or its data ` +
        'folder is elsewhere (give it with --data-dir).',
    };
  }
  let status: WorkstationStatus;
  try {
    const parsed = workstationStatusSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${issue?.path.join('.') || 'the file'}: ${issue?.message}`);
    }
    status = parsed.data;
  } catch (error) {
    return {
      verdict: 'unreadable',
      file,
      message: `${file} is not a status file this careshell-status understands (${messageOf(error)}); is the CLI the same version as the app?`,
    };
  }
  const now = (io.now ?? (() => new Date()))();
  const ageSeconds = Math.max(0, Math.round((now.getTime() - Date.parse(status.writtenAt)) / 1000));
  const base = { file, ageSeconds, status };
  const isRunning = io.isRunning ?? processExists;
  if (status.state === 'stopped') {
    return { ...base, verdict: 'not-running', message: `CareShell stopped at ${status.writtenAt}.` };
  }
  if (!isRunning(status.app.pid)) {
    return {
      ...base,
      verdict: 'not-running',
      message: `CareShell (process ${status.app.pid}) is not running; it last wrote its status at ${status.writtenAt}. It may have crashed: check the OS logs.`,
    };
  }
  if (now.getTime() > Date.parse(status.staleAfter)) {
    return {
      ...base,
      verdict: 'stale',
      message: `CareShell (process ${status.app.pid}) has not updated its status since ${status.writtenAt}: it may be hung. Restart it if this persists.`,
    };
  }
  switch (status.state) {
    case 'starting':
      return { ...base, verdict: 'starting', message: 'CareShell is starting.' };
    case 'locked':
      return {
        ...base,
        verdict: 'locked',
        message: `CareShell is running but locked on a start problem: ${status.problem?.message ?? 'unknown'}`,
      };
    case 'running': {
      const issues = [
        ...status.readers
          .filter((r) => r.state !== 'ready')
          .map((r) => `reader ${r.id} (${r.description}) is ${r.state}${r.message ? `: ${r.message}` : ''}`),
        ...status.audit.destinations
          .filter((d) => d.stalled)
          .map(
            (d) =>
              `audit destination ${d.destination} is stalled with ${d.backlog} records waiting${d.lastError ? `: ${d.lastError}` : ''}`,
          ),
        ...(status.revocationList?.problem
          ? [
              `the revocation list at ${status.revocationList.url} is refused since ${status.revocationList.problem.since} (${status.revocationList.problem.code}: ${status.revocationList.problem.message}); the last good list is kept`,
            ]
          : []),
        ...(status.revocationList?.stale ? [`the revocation list is stale: ${status.revocationList.stale}`] : []),
      ];
      return issues.length
        ? {
            ...base,
            verdict: 'degraded',
            issues,
            message: `CareShell is running but needs attention: ${issues.join('; ')}.`,
          }
        : { ...base, verdict: 'ok', message: 'CareShell is running and healthy.' };
    }
  }
}

/** Signal 0 checks for the process without touching it; EPERM means it exists under another account. */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
