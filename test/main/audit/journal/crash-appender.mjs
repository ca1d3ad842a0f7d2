// Child process for crash.test.ts: appends events as fast as it can and prints each acknowledged event's
// number the moment its append resolves, until the parent SIGKILLs it. Runs the journal transpiled to JS
// (see crash.test.ts) so that two hundred start-ups stay fast.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [compiled, directory, keys, first] = process.argv.slice(2);
const load = (file) => import(pathToFileURL(path.join(compiled, file)).href);
const { AuditJournal } = await load('main/audit/journal/audit-journal.js');
const { FileAuditKeyStore } = await load('main/audit/keys/file-audit-key-store.js');
const { systemClock } = await load('common/clock.js');
const { systemRandom } = await load('common/random.js');

const journal = await AuditJournal.open({
  directory,
  // The parent made the key with the same no-op protector (there is no OS key store in a test).
  keyStore: new FileAuditKeyStore({ directory: keys, protector: { name: 'none (crash test)', protect: (b) => b, unprotect: (b) => b } }),
  clock: systemClock,
  random: systemRandom,
  workstation: 'crash-test',
  maxSegmentBytes: 1024 * 1024,
  checkpointEvery: 50,
});
process.stdout.write('open\n');
let next = Number(first);
// Some larger records make commits span several pages, so a SIGKILL can land inside a write.
const pad = 'x'.repeat(16 * 1024);
async function lane() {
  for (;;) {
    const n = next++;
    await journal.append({
      type: 'session.activity',
      at: new Date().toISOString(),
      workstation: 'crash-test',
      outcome: 'success',
      details: { n, pad: n % 4 === 0 ? pad : '' },
    });
    // Pipes are synchronous on Linux: once written, the parent reads it even after SIGKILL.
    process.stdout.write(`${n}\n`);
  }
}
await Promise.all(Array.from({ length: 8 }, lane));
