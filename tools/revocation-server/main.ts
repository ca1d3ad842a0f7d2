import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { messageOf } from '../../common/errors.js';
import { createTestCa } from '../local-idp/test-ca.js';
import { startRevocationServer } from './revocation-server.js';

const HELP = `npm run revocation-server -- <command> [options]

The hospital's revocation list publisher for CareShell workstations (docs/temporary-access.md#revocation-list).

  serve   --data DIR [--port N] [--cert FILE --key FILE]
          Serves the signed list at https://127.0.0.1:PORT/revocations.jws. The signing key is made in DIR at the
          first start; its public JWK is printed for identity.revocationList.publicKeys. Without --cert/--key a
          test CA is made in DIR (test-ca.pem): for trying it out only.
  revoke  --data DIR --url ORIGIN --user ID --reason TEXT    publishes the next list with the account on it
  restore --data DIR --url ORIGIN --user ID                  publishes the next list without it
`;

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      port: { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      url: { type: 'string' },
      user: { type: 'string' },
      reason: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const command = positionals[0];
  if (values.help || !command) return void process.stdout.write(HELP);
  if (!values.data) throw new Error('--data DIR is required (where the key, the token and the list state live).');
  const dataDir = path.resolve(values.data);
  if (command === 'serve') {
    const tls =
      values.cert && values.key
        ? { certPem: await readFile(values.cert, 'utf8'), keyPem: await readFile(values.key, 'utf8') }
        : await testTls(dataDir);
    const server = await startRevocationServer({
      tls,
      dataDir,
      ...(values.port ? { port: Number(values.port) } : {}),
      log: (m) => process.stdout.write(`${m}\n`),
    });
    process.stdout.write(`
Revocation list: ${server.url}
Signing key ${server.keyCreated ? 'made now' : 'loaded'} (${path.join(dataDir, 'signing-key.pem')}). For the machine policy:
  "revocationList": { "url": "${server.url}", "publicKeys": [${JSON.stringify(server.publicJwk)}] }
Admin API (this machine only): Bearer token in ${path.join(dataDir, 'admin-token')}
Ctrl+C stops it.
`);
    const stop = () => void server.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return;
  }
  if (command !== 'revoke' && command !== 'restore') throw new Error(`unknown command "${command}"\n\n${HELP}`);
  if (!values.url || !values.user) throw new Error('--url ORIGIN and --user ID are required.');
  if (command === 'revoke' && !values.reason) throw new Error('--reason TEXT is required: it is shown and audited.');
  const token = (await readFile(path.join(dataDir, 'admin-token'), 'utf8')).trim();
  const caFile = path.join(dataDir, 'test-ca.pem');
  const agent = new Agent(existsSync(caFile) ? { ca: await readFile(caFile, 'utf8') } : {});
  const body = JSON.stringify(
    command === 'revoke' ? { userId: values.user, reason: values.reason } : { userId: values.user },
  );
  const answer = await new Promise<string>((resolve, reject) => {
    const req = request(new URL(`/admin/${command}`, values.url), {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => ((res.statusCode ?? 0) === 200 ? resolve(text) : reject(new Error(text))));
    });
    req.on('error', reject);
    req.end(body);
  });
  process.stdout.write(`${answer}\n`);
  agent.destroy();
}

/** A test CA and a certificate for 127.0.0.1 and localhost, kept in the data folder: for trying it out only. */
async function testTls(dataDir: string): Promise<{ certPem: string; keyPem: string }> {
  const ca = createTestCa('CareShell revocation list test CA');
  await import('node:fs/promises').then((fs) => fs.mkdir(dataDir, { recursive: true, mode: 0o700 }));
  await writeFile(path.join(dataDir, 'test-ca.pem'), ca.caPem, { mode: 0o644 });
  process.stdout.write(
    `Test CA (trust it with identity.revocationList.extraCaFiles): ${path.join(dataDir, 'test-ca.pem')}\n`,
  );
  return ca.issueServerCert({ dns: ['localhost'], ips: ['127.0.0.1'] });
}

main().catch((error: unknown) => {
  process.stderr.write(`${messageOf(error)}\n`);
  process.exit(1);
});
