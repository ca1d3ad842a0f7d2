// Times verifyJournal of the compiled CLI (out/cli, from `npm run build:cli`) in a process of its own, as an
// auditor's `careshell-audit verify` runs it: bench/audit.ts starts this after writing the journal, so the
// writer's heap and garbage are not charged to verify. Prints one JSON line.
import { availableParallelism } from 'node:os';
import { verifyJournal } from '../../out/cli/main/audit/journal/verify-journal.js';
import { loadPublicKeys } from '../../out/cli/main/audit/keys/file-audit-key-store.js';

const [journalDir, keysDir] = process.argv.slice(2);
const keys = await loadPublicKeys(keysDir);
const threads = availableParallelism();
const started = performance.now();
const report = await verifyJournal(journalDir, keys, { threads });
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    ok: report.ok,
    problems: report.problems.slice(0, 3),
    events: report.events,
    records: report.records,
    segments: report.segments,
    bytes: report.bytes,
    threads,
    seconds,
  }),
);
