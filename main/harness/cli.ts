import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { messageOf } from '../../common/errors.js';
import { pinnedVerifyArgs } from '../audit/cli/verify-command.js';
import { BUILTIN_PROFILES } from '../policy/builtin-profiles.js';
import { builtAppDir } from './built-app.js';
import { z } from 'zod';
import { systemClock } from '../../common/clock.js';
import { startDemo, startDemoWorkstation } from './demo.js';
import { hospitalDescriptionSchema, type HospitalDescription } from './hospital-description.js';

const HELP = `npm run demo -- [options]

Runs CareShell in a browser: the Electron app's main-process composition in Node, its renderer served on
127.0.0.1, a simulated badge reader, the local identity provider and demo clinicians.

  --profile NAME          workstation profile: ${Object.keys(BUILTIN_PROFILES).join(', ')} (default: default)
  --port N                port for the app (default: a free one)
  --no-open               do not open a browser window
  --help                  this text

Several workstations on one hospital (docs/harness.md#several-workstations):
  --serve-hospital FILE   run only the hospital's services (identity provider, demo EHR, mailbox, review
                          source) and write how to reach them to FILE
  --hospital FILE         run a workstation on the services FILE describes, instead of starting its own
  --data-dir DIR          with --hospital: keep the workstation's journal, keys and enrollments in DIR, so a
                          restart finds its clinicians enrolled (default: a new temporary folder)
  --workstation NAME      with --hospital: the workstation's name in audit records (default: DEMO-WS-01)
`;

const BROWSERS = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function findBrowser(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of BROWSERS) if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

function open(browser: string | undefined, url: string, asApp: boolean): boolean {
  if (!browser || (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)) return false;
  const child = spawn(browser, [asApp ? `--app=${url}` : url, '--no-first-run', '--disable-background-networking'], {
    detached: true,
    stdio: 'ignore',
  });
  child.on('error', () => {});
  child.unref();
  return true;
}

/** The hospital description --serve-hospital wrote, checked: a wrong file is named with what is wrong in it. */
async function readHospital(file: string): Promise<HospitalDescription> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read --hospital ${file}: ${messageOf(error)}. Start the services with --serve-hospital ${file} first.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`--hospital ${file} is not JSON (${messageOf(error)}): pass the file --serve-hospital wrote.`);
  }
  const parsed = hospitalDescriptionSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(
      `--hospital ${file} is not a hospital description written by --serve-hospital:\n${z.prettifyError(parsed.error)}`,
    );
  return parsed.data;
}

async function prepareDataDir(dir: string): Promise<string> {
  const absolute = path.resolve(dir);
  await mkdir(absolute, { recursive: true, mode: 0o700 });
  return absolute;
}

/** --serve-hospital: the services alone, until Ctrl+C; workstations join them with --hospital FILE. */
async function serveHospital(file: string): Promise<void> {
  const { startHospitalServices } = await import('./hospital-services.js');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'careshell-hospital-'));
  const services = await startHospitalServices({ clock: systemClock, dataDir });
  // Its owner's only: it holds the revocation list publisher's admin token.
  await writeFile(file, JSON.stringify(services.description, null, 2), { mode: 0o600 });
  const { description } = services;
  process.stdout.write(`
CareShell demo hospital
  Identity provider: ${description.idp.authority}
  Demo EHR:          ${description.ehrOrigin}
  Review source:     ${description.reviewSourceUrl}
  Revocation list:   ${description.revocationList.url}
  Mailbox (SMTP):    ${description.mailbox.host}:${description.mailbox.port}
  Described in:      ${path.resolve(file)}

Start workstations on it: npm run demo -- --hospital ${file} [--data-dir DIR] [--workstation NAME]
Ctrl+C stops the services.
`);
  const stop = () => {
    services.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        profile: { type: 'string' },
        port: { type: 'string' },
        'no-open': { type: 'boolean' },
        help: { type: 'boolean' },
        'serve-hospital': { type: 'string' },
        hospital: { type: 'string' },
        'data-dir': { type: 'string' },
        workstation: { type: 'string' },
      },
    }).values;
  } catch (error) {
    process.stderr.write(`${messageOf(error)}\n\n${HELP}`);
    process.exit(2);
  }
  if (args.help) return void process.stdout.write(HELP);
  if (args['serve-hospital']) return serveHospital(args['serve-hospital']);
  if ((args['data-dir'] !== undefined || args.workstation !== undefined) && args.hospital === undefined) {
    process.stderr.write(
      '--data-dir and --workstation need --hospital FILE: a demo that starts its own identity provider cannot reuse enrollments made with another one.\n',
    );
    process.exit(2);
  }
  const port = args.port === undefined ? undefined : Number(args.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    process.stderr.write(`--port must be a whole number from 0 to 65535, not "${args.port}".\n`);
    process.exit(2);
  }
  // Arguments first, so a wrong one is named before anything is built or started.
  const hospital = args.hospital === undefined ? undefined : await readHospital(args.hospital);
  const out = builtAppDir();
  if (!existsSync(path.join(out, 'renderer', 'index.html')) || !existsSync(path.join(out, 'harness', 'bridge.js'))) {
    process.stderr.write('The renderer is not built yet: run `npm run build` (npm run demo does this for you).\n');
    process.exit(1);
  }
  const browser = args['no-open'] ? undefined : findBrowser();
  const common = {
    ...(args.profile ? { profile: args.profile } : {}),
    ...(port !== undefined ? { port } : {}),
    openSignIn: async (url: string) => {
      if (!open(browser, url, false)) process.stdout.write(`\nSign in with the identity provider: ${url}\n`);
    },
  };
  const demo = hospital
    ? await startDemoWorkstation({
        ...common,
        hospital,
        ...(args['data-dir'] ? { dataDir: await prepareDataDir(args['data-dir']) } : {}),
        ...(args.workstation ? { workstation: args.workstation } : {}),
      })
    : await startDemo(common);
  const opened = open(browser, demo.server.appUrl, true);
  // Noted now, while the folder holds only the key the workstation just made: verify trusts this
  // fingerprint, not whatever key the folder holds later (docs/audit.md#verifying-a-journal-end-to-end).
  const verifyArgs = await pinnedVerifyArgs(path.join(demo.dataDir, 'audit'), path.join(demo.dataDir, 'audit-keys'));
  process.stdout.write(`
CareShell demo (profile ${demo.policy.profile}, idle lock after ${demo.policy.idleTimeoutSeconds} s)
  App:            ${demo.server.appUrl}
  Badge controls: ${demo.server.controlUrl}
  Demo EHR:       ${demo.hospital.ehrOrigin} (break-glass: docs/break-glass.md)
  Revocations:    ${demo.hospital.revocationList.url} (polled every 30 s; Revoke/Restore on the controls page: docs/temporary-access.md)
  Policy:         ${demo.policyPath}
                  (edit it while the demo runs: the workstation follows it, and locks on a broken or deleted file)
  Audit journal:  ${path.join(demo.dataDir, 'audit')}
                  (verify: npm run audit -- verify ${verifyArgs.join(' ')})
${opened ? '  Opened the app in ' + path.basename(browser!) + '.' : '  Open the App URL in Chromium or Chrome' + (args['no-open'] ? '.' : browser ? ' (no display found to open it for you).' : ' (none found on PATH).')}

Demo clinicians (tap their badge on the controls page; identity provider passwords for enrollment):
${demo.users.map((u) => `  ${u.displayName.padEnd(16)} ${u.roles.join(', ').padEnd(30)} PIN ${u.pin}   ${u.username} / ${u.password}`).join('\n')}
  ${demo.newStarter.displayName.padEnd(16)} ${demo.newStarter.roles.join(', ').padEnd(30)} not enrolled: tap "Unenrolled badge", sign in as ${demo.newStarter.username} / ${demo.newStarter.password}, choose a PIN
  ${demo.locum.displayName.padEnd(16)} ${demo.locum.roles.join(', ').padEnd(30)} temporary, not enrolled: tap "Locum badge", sign in as ${demo.locum.username} / ${demo.locum.password}, choose a PIN, then a sponsor taps in

Ctrl+C stops the demo.
`);
  const stop = () => {
    demo.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`The demo could not start: ${messageOf(error)}\n`);
  process.exit(1);
});
