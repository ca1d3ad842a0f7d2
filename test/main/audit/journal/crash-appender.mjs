// Child process for crash.property.test.ts. "race" mode: appends events from 8 lanes as fast as it can and prints
// each acknowledged event's number the moment its append resolves, until the parent SIGKILLs it. "tear"
// mode: appends `after` events one at a time, then one 256 KiB event whose write stops half-way, as a
// write(2) does when the process is killed inside it (at a page boundary): it prints "torn" and waits for
// the parent's SIGKILL. (A real kill rarely lands inside one write: the kernel copies a whole write to the
// page cache in well under a millisecond.) Runs the journal transpiled to JS (see crash.property.test.ts) so that
// two hundred start-ups stay fast.
import { open } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [compiled, directory, keys, first, mode, after] = process.argv.slice(2);
const load = (file) => import(pathToFileURL(path.join(compiled, file)).href);
const { AuditJournal } = await load('main/audit/journal/audit-journal.js');
const { FileAuditKeyStore } = await load('main/audit/keys/file-audit-key-store.js');
const { systemClock } = await load('common/clock.js');
const { systemRandom } = await load('common/random.js');

const journal = await AuditJournal.open({
  directory,
  // The parent made the key with the same no-op protector (there is no OS key store in a test).
  keyStore: new FileAuditKeyStore({
    directory: keys,
    protector: { name: 'none (crash test)', protect: (b) => b, unprotect: (b) => b },
  }),
  clock: systemClock,
  random: systemRandom,
  workstation: 'crash-test',
  maxSegmentBytes: 1024 * 1024,
  checkpointEvery: 50,
});
process.stdout.write('open\n');
let next = Number(first);
const append = (n, pad) =>
  journal.append({
    type: 'session.activity',
    at: new Date().toISOString(),
    workstation: 'crash-test',
    outcome: 'success',
    details: { n, pad },
  });

if (mode === 'tear') {
  for (let i = 0; i < Number(after); i++) {
    const n = next++;
    await append(n, '');
    process.stdout.write(`${n}\n`);
  }
  const probe = await open(process.execPath, 'r');
  const fileHandle = Object.getPrototypeOf(probe);
  await probe.close();
  const write = fileHandle.write;
  fileHandle.write = async function (buffer, offset, length, position) {
    if (length < 128 * 1024) return write.call(this, buffer, offset, length, position);
    // Half of the batch reaches the file for real; the process never gets further.
    await write.call(this, buffer, offset, 64 * 1024 + 1, position);
    process.stdout.write('torn\n');
    return new Promise(() => undefined);
  };
  append(next++, 'x'.repeat(256 * 1024));
  // Wait for the kill: exiting on its own would look like a crash the test did not cause.
  setInterval(() => undefined, 1000);
} else {
  // Some larger records make commits span several pages, so a SIGKILL can land inside a write.
  const pad = 'x'.repeat(16 * 1024);
  async function lane() {
    for (;;) {
      const n = next++;
      await append(n, n % 4 === 0 ? pad : '');
      // Pipes are synchronous on Linux: once written, the parent reads it even after SIGKILL.
      process.stdout.write(`${n}\n`);
    }
  }
  await Promise.all(Array.from({ length: 8 }, lane));
}
