import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestCa } from '../../../../../tools/local-idp/test-ca.js';

const MODULE_DIRS = ['/usr/lib/rsyslog', ...libDirs()];

function libDirs(): string[] {
  try {
    return readdirSync('/usr/lib').map((name) => path.join('/usr/lib', name, 'rsyslog'));
  } catch {
    return [];
  }
}

const hasModule = (file: string) => MODULE_DIRS.some((dir) => existsSync(path.join(dir, file)));

/** rsyslogd lives in /usr/sbin, which a non-root user's PATH often leaves out. */
const RSYSLOGD = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin']
  .filter((dir) => dir !== '')
  .map((dir) => path.join(dir, 'rsyslogd'))
  .find((file) => existsSync(file));

/**
 * Why the real-rsyslog tests cannot run here, or undefined when they can. A developer machine without Debian's
 * rsyslog, rsyslog-relp and rsyslog-gnutls skips them with the reason printed; CI (which installs them) never skips.
 */
export function rsyslogMissingReason(): string | undefined {
  if (process.env.CI) return undefined;
  const missing = [
    ...(RSYSLOGD ? [] : ['rsyslog']),
    ...(hasModule('imrelp.so') ? [] : ['rsyslog-relp']),
    ...(hasModule('lmnsd_gtls.so') ? [] : ['rsyslog-gnutls']),
  ];
  return missing.length === 0
    ? undefined
    : `Debian's ${missing.join(', ')} not installed: run \`apt-get install -y rsyslog rsyslog-relp rsyslog-gnutls\` (what .ci/run does)`;
}

/** The collector's certificate (127.0.0.1) and the workstation's client certificate, from one test CA. */
export function collectorPki() {
  const ca = createTestCa('CareShell rsyslog test CA');
  const server = ca.issueServerCert({ dns: ['localhost'], ips: ['127.0.0.1'] });
  const workstation = ca.issueServerCert({ dns: [WORKSTATION_PEER], ips: [] });
  return { caPem: ca.caPem, server, workstation };
}

/** The name in the workstation's certificate, the only peer the collector accepts. */
export const WORKSTATION_PEER = 'cow-3f-12.test';

export type CollectorInput = 'relp' | 'syslog-tls';

export interface ReceivedLine {
  msgId: string;
  eventId: string;
  seq: number;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls until `condition` holds (real time: these tests drive a real daemon), failing after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Debian's rsyslogd in a temporary folder of its own (config, work directory, pid file, certificates, output),
 * listening on 127.0.0.1 with imrelp over TLS or imtcp with the gtls driver (RFC 5425), both requiring the
 * workstation's client certificate. Every message goes to a file as `MSGID [structured data]`. The ruleset's
 * queue is Direct, as docs/audit.md tells IT to set it, so a message is in that file before rsyslog answers its
 * RELP command or reads the next one: what a crash loses is only what was never acknowledged (RELP) or still in
 * the kernel (syslog-TLS).
 */
export class Rsyslog {
  private child?: ChildProcess;
  private stderr = '';

  private constructor(
    readonly directory: string,
    readonly port: number,
    private readonly pki: ReturnType<typeof collectorPki>,
  ) {}

  /** How the workstation reaches this collector: its CA and the client certificate it requires (`port` for a relay). */
  clientEndpoint(port = this.port) {
    const { caPem, workstation } = this.pki;
    return { host: '127.0.0.1', port, ca: caPem, cert: workstation.certPem, key: workstation.keyPem };
  }

  static async create(input: CollectorInput, pki: ReturnType<typeof collectorPki>): Promise<Rsyslog> {
    const directory = await mkdtemp(path.join(tmpdir(), 'careshell-rsyslog-'));
    const rsyslog = new Rsyslog(directory, await freePort(), pki);
    const file = (name: string) => path.join(directory, name);
    await writeFile(file('ca.pem'), pki.caPem);
    await writeFile(file('server.pem'), pki.server.certPem);
    await writeFile(file('server-key.pem'), pki.server.keyPem, { mode: 0o600 });
    const relp = [
      'module(load="imrelp")',
      `input(type="imrelp" address="127.0.0.1" port="${rsyslog.port}" ruleset="audit" tls="on"`,
      `  tls.caCert="${file('ca.pem')}" tls.myCert="${file('server.pem')}" tls.myPrivKey="${file('server-key.pem')}"`,
      `  tls.authMode="name" tls.permittedPeer=["${WORKSTATION_PEER}"])`,
    ];
    const syslogTls = [
      `global(defaultNetstreamDriver="gtls" defaultNetstreamDriverCAFile="${file('ca.pem')}"`,
      `  defaultNetstreamDriverCertFile="${file('server.pem')}" defaultNetstreamDriverKeyFile="${file('server-key.pem')}")`,
      `module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="x509/name"`,
      `  permittedPeer=["${WORKSTATION_PEER}"])`,
      `input(type="imtcp" address="127.0.0.1" port="${rsyslog.port}" ruleset="audit")`,
    ];
    await writeFile(
      file('rsyslog.conf'),
      [
        `global(workDirectory="${directory}" maxMessageSize="64k")`,
        ...(input === 'relp' ? relp : syslogTls),
        'template(name="ids" type="string" string="%msgid% %structured-data%\\n")',
        `ruleset(name="audit" queue.type="Direct") { action(type="omfile" file="${file('received.log')}" template="ids") }`,
        '',
      ].join('\n'),
    );
    return rsyslog;
  }

  /** Starts rsyslogd and resolves once it accepts connections. */
  async start(): Promise<void> {
    await rm(path.join(this.directory, 'rsyslogd.pid'), { force: true });
    const child = spawn(
      RSYSLOGD ?? 'rsyslogd',
      ['-n', '-f', path.join(this.directory, 'rsyslog.conf'), '-i', path.join(this.directory, 'rsyslogd.pid')],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.child = child;
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`rsyslogd exited with ${child.exitCode}: ${this.stderr}`);
      return this.accepting();
    }, 'rsyslogd to listen');
  }

  /** What rsyslog wrote to its output file, one entry per message (a line still being written is left out). */
  async received(): Promise<ReceivedLine[]> {
    let text: string;
    try {
      text = await readFile(path.join(this.directory, 'received.log'), 'utf8');
    } catch {
      return [];
    }
    const lines = text.split('\n').slice(0, -1);
    return lines.map((line) => {
      const match = /^(\S+) \[careshell@\d+ eventId="([^"]+)" seq="(\d+)"\]$/.exec(line);
      if (!match) throw new Error(`rsyslog wrote an unexpected line: ${line}`);
      return { msgId: match[1]!, eventId: match[2]!, seq: Number(match[3]) };
    });
  }

  /** The collector hangs: the process stops, its sockets stay open and its kernel keeps accepting bytes. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  /** The collector crashes (also while paused): what it had not processed is gone. */
  async crash(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** An orderly shutdown, as for an upgrade. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  async dispose(): Promise<void> {
    this.child?.kill('SIGCONT');
    await this.signal('SIGKILL');
    await rm(this.directory, { recursive: true, force: true });
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  private accepting(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect(this.port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  }
}
