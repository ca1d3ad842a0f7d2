import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { messageOf } from '../../common/errors.js';
import { pinnedVerifyArgs } from '../audit/cli/verify-command.js';
import { BUILTIN_PROFILES } from '../policy/builtin-profiles.js';
import { builtAppDir } from './built-app.js';
import { startDemo } from './demo.js';

const HELP = `npm run demo -- [options]

Runs CareShell in a browser: the Electron app's main-process composition in Node, its renderer served on
127.0.0.1, a simulated badge reader, the local identity provider and demo clinicians.

  --profile NAME   workstation profile: ${Object.keys(BUILTIN_PROFILES).join(', ')} (default: default)
  --port N         port for the app (default: a free one)
  --no-open        do not open a browser window
  --help           this text
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

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        profile: { type: 'string' },
        port: { type: 'string' },
        'no-open': { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    process.stderr.write(`${messageOf(error)}\n\n${HELP}`);
    process.exit(2);
  }
  if (args.help) return void process.stdout.write(HELP);
  const port = args.port === undefined ? undefined : Number(args.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    process.stderr.write(`--port must be a whole number from 0 to 65535, not "${args.port}".\n`);
    process.exit(2);
  }
  const out = builtAppDir();
  if (!existsSync(path.join(out, 'renderer', 'index.html')) || !existsSync(path.join(out, 'harness', 'bridge.js'))) {
    process.stderr.write('The renderer is not built yet: run `npm run build` (npm run demo does this for you).\n');
    process.exit(1);
  }
  const browser = args['no-open'] ? undefined : findBrowser();
  const demo = await startDemo({
    ...(args.profile ? { profile: args.profile } : {}),
    ...(port !== undefined ? { port } : {}),
    openSignIn: async (url) => {
      if (!open(browser, url, false)) process.stdout.write(`\nSign in with the identity provider: ${url}\n`);
    },
  });
  const opened = open(browser, demo.server.appUrl, true);
  // Noted now, while the folder holds only the key the workstation just made: verify trusts this
  // fingerprint, not whatever key the folder holds later (docs/audit.md#verifying-a-journal-end-to-end).
  const verifyArgs = await pinnedVerifyArgs(path.join(demo.dataDir, 'audit'), path.join(demo.dataDir, 'audit-keys'));
  process.stdout.write(`
CareShell demo (profile ${demo.policy.profile}, idle lock after ${demo.policy.idleTimeoutSeconds} s)
  App:            ${demo.server.appUrl}
  Badge controls: ${demo.server.controlUrl}
  Demo EHR:       ${demo.ehr.origin} (break-glass: docs/break-glass.md)
  Revocations:    ${demo.revocations.url} (polled every 30 s; Revoke/Restore on the controls page: docs/temporary-access.md)
  Policy:         ${demo.policyPath}
                  (edit it while the demo runs: the workstation follows it, and locks on a broken or deleted file)
  Audit journal:  ${path.join(demo.dataDir, 'audit')}
                  (verify: npm run audit -- verify ${verifyArgs.join(' ')})
${opened ? '  Opened the app in ' + path.basename(browser!) + '.' : '  Open the App URL in Chromium or Chrome' + (args['no-open'] ? '.' : browser ? ' (no display found to open it for you).' : ' (none found on PATH).')}

Demo clinicians (tap their badge on the controls page; identity provider passwords for enrollment):
${demo.users.map((u) => `  ${u.displayName.padEnd(16)} ${u.roles.join(', ').padEnd(30)} PIN ${u.pin}   ${u.username} / ${u.password}`).join('\n')}
  ${demo.newStarter.displayName.padEnd(16)} ${demo.newStarter.roles.join(', ').padEnd(30)} not enrolled: tap "Unenrolled badge", sign in as ${demo.newStarter.username} / ${demo.newStarter.password}, choose a PIN

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
