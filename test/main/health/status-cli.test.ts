import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDataFolders } from '../../../main/health/data-folder.js';
import { runStatusCli, type StatusCliIo, type StatusReport } from '../../../main/health/status-cli.js';
import type { WorkstationStatus } from '../../../main/health/workstation-status.js';

const WRITTEN = '2026-03-01T10:00:00.000Z';

function sampleStatus(overrides: Partial<WorkstationStatus> = {}): WorkstationStatus {
  return {
    format: 1,
    app: { version: '1.2.3', pid: 4242 },
    workstation: 'COW-3F-12',
    writtenAt: WRITTEN,
    staleAfter: '2026-03-01T10:01:30.000Z',
    state: 'running',
    policy: { source: '/etc/careshell/policy.json', formatVersion: 1, digest: 'sha256:0123456789abcdef' },
    readers: [{ id: 'door', description: 'pcProx on USB', state: 'ready' }],
    audit: {
      journalSeq: 10,
      destinations: [
        { destination: 'siem', state: 'idle', deliveredSeq: 10, backlog: 0, consecutiveFailures: 0, stalled: false },
      ],
    },
    heartbeat: { intervalMinutes: 15 },
    ...overrides,
  };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'careshell-status-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function run(
  content: unknown,
  io: Partial<StatusCliIo> = {},
): Promise<{ code: number; report: StatusReport; stderr: string }> {
  if (content !== undefined) {
    await writeFile(path.join(dir, 'status.json'), typeof content === 'string' ? content : JSON.stringify(content));
  } else {
    await rm(path.join(dir, 'status.json'), { force: true });
  }
  let stdout = '';
  let stderr = '';
  const code = await runStatusCli(['--data-dir', dir], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    now: () => new Date('2026-03-01T10:00:20.000Z'),
    isRunning: (pid) => pid === 4242,
    ...io,
  });
  return { code, report: JSON.parse(stdout) as StatusReport, stderr };
}

describe('careshell-status', () => {
  it('running and healthy: ok, exit 0, with the status and its age', async () => {
    const { code, report } = await run(sampleStatus());
    expect(code).toBe(0);
    expect(report).toMatchObject({ verdict: 'ok', ageSeconds: 20, status: { app: { version: '1.2.3' } } });
  });

  it('a missing reader or a stalled collector: degraded, naming each', async () => {
    const status = sampleStatus({
      readers: [{ id: 'door', description: 'pcProx on USB', state: 'missing', message: 'unplugged' }],
    });
    status.audit.destinations[0] = {
      ...status.audit.destinations[0]!,
      stalled: true,
      backlog: 812,
      lastError: 'ECONNREFUSED',
    };
    const { code, report } = await run(status);
    expect(code).toBe(1);
    expect(report.verdict).toBe('degraded');
    expect(report.issues).toEqual([
      'reader door (pcProx on USB) is missing: unplugged',
      'audit destination siem is stalled with 812 records waiting: ECONNREFUSED',
    ]);
  });

  it('a revocation list refused or stale: degraded, saying the last good list is kept', async () => {
    const list = { url: 'https://revocations.test/r.jws', pollSeconds: 30, sequence: 41, revokedCount: 3 };
    expect((await run(sampleStatus({ revocationList: list }))).report.verdict).toBe('ok');
    const { code, report } = await run(
      sampleStatus({
        revocationList: {
          ...list,
          stale: 'list 41 was issued at 2026-03-01T08:00:00Z, more than 60 minutes ago',
          problem: { code: 'bad-signature', message: 'the signature does not match key "k1"', since: WRITTEN },
        },
      }),
    );
    expect(code).toBe(1);
    expect(report.issues).toEqual([
      `the revocation list at https://revocations.test/r.jws is refused since ${WRITTEN} (bad-signature: the signature does not match key "k1"); the last good list is kept`,
      'the revocation list is stale: list 41 was issued at 2026-03-01T08:00:00Z, more than 60 minutes ago',
    ]);
  });

  it('the process is gone: not-running, even though the file looks fresh', async () => {
    const { code, report } = await run(sampleStatus(), { isRunning: () => false });
    expect(code).toBe(1);
    expect(report.verdict).toBe('not-running');
    expect(report.message).toMatch(/process 4242\) is not running/);
  });

  it('a file older than staleAfter: stale (hung)', async () => {
    const { code, report } = await run(sampleStatus(), { now: () => new Date('2026-03-01T10:05:00.000Z') });
    expect(code).toBe(1);
    expect(report).toMatchObject({ verdict: 'stale', ageSeconds: 300 });
    expect(report.message).toMatch(/may be hung/);
  });

  it('stopped cleanly, locked on a start problem, starting', async () => {
    expect((await run(sampleStatus({ state: 'stopped' }))).report.verdict).toBe('not-running');
    const locked = await run(
      sampleStatus({ state: 'locked', problem: { kind: 'not-configured', message: 'IT must install its policy' } }),
    );
    expect(locked.report).toMatchObject({ verdict: 'locked' });
    expect(locked.report.message).toMatch(/IT must install its policy/);
    expect((await run(sampleStatus({ state: 'starting' }))).report.verdict).toBe('starting');
  });

  it('no file, a broken file, a file of another format: each says what is wrong', async () => {
    const none = await run(undefined);
    expect(none.report.verdict).toBe('not-running');
    expect(none.report.message).toMatch(/No status file .*--data-dir/);
    expect((await run('{ not json')).report.verdict).toBe('unreadable');
    const other = await run({ ...sampleStatus(), format: 2 });
    expect(other.report.verdict).toBe('unreadable');
    expect(other.report.message).toMatch(/format/);
  });

  it('a usage error exits 2 with the usage', async () => {
    let stderr = '';
    const code = await runStatusCli(['--nope'], { stdout: () => {}, stderr: (t) => (stderr += t) });
    expect(code).toBe(2);
    expect(stderr).toMatch(/Usage: careshell-status/);
  });
});

describe('the default data folders', () => {
  it('are where Electron puts userData on each OS', () => {
    expect(defaultDataFolders({ platform: 'linux', homedir: '/home/kiosk', env: {} })).toEqual([
      '/home/kiosk/.config/CareShell',
      '/home/kiosk/.config/careshell',
    ]);
    expect(defaultDataFolders({ platform: 'linux', homedir: '/h', env: { XDG_CONFIG_HOME: '/x' } })[0]).toBe(
      '/x/CareShell',
    );
    expect(defaultDataFolders({ platform: 'darwin', homedir: '/Users/kiosk', env: {} })[0]).toBe(
      '/Users/kiosk/Library/Application Support/CareShell',
    );
    expect(
      defaultDataFolders({
        platform: 'win32',
        homedir: 'C:\\Users\\kiosk',
        env: { APPDATA: 'C:\\Users\\kiosk\\AppData\\Roaming' },
      })[0],
    ).toBe('C:\\Users\\kiosk\\AppData\\Roaming\\CareShell');
  });
});
