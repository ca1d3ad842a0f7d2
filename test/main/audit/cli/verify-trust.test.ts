import { generateKeyPairSync } from 'node:crypto';
import { readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAuditCli } from '../../../../main/audit/cli/audit-cli.js';
import { pinnedVerifyArgs } from '../../../../main/audit/cli/verify-command.js';
import { toFhirAuditEvent } from '../../../../main/audit/catalogue/fhir-audit-event.js';
import { canonicalJson } from '../../../../main/audit/journal/canonical-json.js';
import { readEvents } from '../../../../main/audit/journal/journal-reader.js';
import type { CheckpointRecord, JournalRecord } from '../../../../main/audit/journal/journal-record.js';
import { GENESIS_HASH, sha256Hex } from '../../../../main/audit/journal/journal-record.js';
import { signCheckpoint } from '../../../../main/audit/journal/checkpoint.js';
import type { AuditSigningKey } from '../../../../main/audit/keys/audit-key-store.js';
import { keyFingerprintOf, keyIdOf } from '../../../../main/audit/keys/audit-key-store.js';
import { journalFixture, sampleEvent, trustArgs } from '../support/journal-fixture.js';

/**
 * The attacks on a journal that verify alone used to pass: a journal cut back (to a checkpoint, or by whole
 * segments), and history rewritten and re-signed with a key the forger dropped into the key folder. The
 * trust anchor (a fingerprint) and the witnessed head (the collector's last audit.checkpoint) come from
 * outside the workstation, as docs/audit.md#verifying-a-journal-end-to-end describes.
 */

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runAuditCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

let f: Awaited<ReturnType<typeof journalFixture>>;
let pristine: Map<string, Buffer>;
let segments: string[];
/** What the collector received last: the final audit.checkpoint the forwarders sent. */
let witnessFile: string;
let witnessFhirFile: string;
let witnessHead: string;

async function segmentNames(directory: string): Promise<string[]> {
  return (await readdir(directory)).filter((name) => name.startsWith('seg-')).sort();
}

async function records(file: string): Promise<{ line: string; record: JournalRecord; offset: number }[]> {
  const text = await readFile(file, 'utf8');
  let offset = 0;
  return text
    .split('\n')
    .slice(0, -1)
    .map((line) => {
      const entry = { line, record: JSON.parse(line) as JournalRecord, offset };
      offset += Buffer.byteLength(line) + 1;
      return entry;
    });
}

beforeAll(async () => {
  f = await journalFixture({ maxSegmentBytes: 16 * 1024, checkpointEvery: 10 });
  const journal = await f.open();
  for (let n = 0; n < 150; n++) await journal.append(sampleEvent('session.unlock', n));
  await journal.close();
  segments = await segmentNames(f.directory);
  pristine = new Map();
  for (const name of segments) pristine.set(name, await readFile(path.join(f.directory, name)));
  const { events } = await readEvents(f.directory, undefined, { maxEvents: 10_000, checkpoints: true });
  const last = events.filter((e) => e.event.type === 'audit.checkpoint').at(-1)!;
  witnessFile = path.join(f.root, 'last-checkpoint.json');
  await writeFile(witnessFile, JSON.stringify({ id: last.id, seq: last.seq, event: last.event }));
  witnessFhirFile = path.join(f.root, 'last-checkpoint.fhir.json');
  await writeFile(witnessFhirFile, JSON.stringify(toFhirAuditEvent(last)));
  witnessHead = `${last.seq}:${String(last.event.details!.hash)}`;
});
afterAll(() => f.cleanup());
beforeEach(async () => {
  for (const name of await segmentNames(f.directory)) await rm(path.join(f.directory, name));
  for (const [name, bytes] of pristine) await writeFile(path.join(f.directory, name), bytes);
  for (const name of await readdir(f.keysDirectory))
    if (name.startsWith('forged')) await rm(path.join(f.keysDirectory, name));
});

describe('verify against the witnessed head', () => {
  it('passes the intact journal, which reaches the collector’s last checkpoint', async () => {
    expect(segments.length).toBeGreaterThan(3);
    for (const witness of [
      ['--expect-checkpoint', witnessFile],
      ['--expect-checkpoint', witnessFhirFile],
      ['--expect-head', witnessHead],
    ]) {
      const { code, stdout } = await run('verify', '--dir', f.directory, ...(await trustArgs(f)), ...witness);
      expect(stdout).toContain(`matches the witnessed head, record ${witnessHead.split(':')[0]}`);
      expect(code).toBe(0);
    }
  });

  it('fails a journal cut back to an earlier checkpoint, saying what was expected and found', async () => {
    const last = segments.at(-1)!;
    const lines = await records(path.join(f.directory, last));
    const checkpoints = lines.filter((entry) => entry.record.kind === 'checkpoint');
    const cut = checkpoints.at(-2)!;
    await truncate(path.join(f.directory, last), cut.offset + Buffer.byteLength(cut.line) + 1);
    // Without a witness the cut journal is intact, as it was before: that is why the witness is needed.
    expect((await run('verify', '--dir', f.directory, ...(await trustArgs(f)))).code).toBe(0);
    const { code, stdout } = await run(
      'verify',
      '--dir',
      f.directory,
      ...(await trustArgs(f)),
      '--expect-checkpoint',
      witnessFile,
    );
    expect(code).toBe(1);
    const [seq, hash] = witnessHead.split(':');
    expect(stdout).toContain(
      `BROKEN ${last} at byte ${cut.offset + Buffer.byteLength(cut.line) + 1}: the journal ends at record ${cut.record.seq}, but the witnessed head is record ${seq} with hash ${hash}: records ${cut.record.seq + 1}..${seq} were cut off the end`,
    );
  });

  it('fails a journal whose last segments were deleted', async () => {
    for (const name of segments.slice(-2)) await rm(path.join(f.directory, name));
    expect((await run('verify', '--dir', f.directory, ...(await trustArgs(f)))).code).toBe(0);
    const { code, stdout } = await run(
      'verify',
      '--dir',
      f.directory,
      ...(await trustArgs(f)),
      '--expect-head',
      witnessHead,
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^BROKEN seg-\d{16}\.jsonl at byte \d+: the journal ends at record \d+, but the witnessed head is record/m,
    );
  });

  it('fails a journal that reaches the witnessed seq with other records (replaced), and refuses a bad --expect-head', async () => {
    const [seq] = witnessHead.split(':');
    const { code, stdout } = await run(
      'verify',
      '--dir',
      f.directory,
      ...(await trustArgs(f)),
      '--expect-head',
      `${seq}:${'ab'.repeat(32)}`,
    );
    expect(code).toBe(1);
    expect(stdout).toContain(
      `has hash ${witnessHead.split(':')[1]}, but the witnessed head is record ${seq} with hash ${'ab'.repeat(32)}`,
    );
    const bad = await run('verify', '--dir', f.directory, ...(await trustArgs(f)), '--expect-head', 'latest');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--expect-head "latest" is not <seq>:<hash>');
  });

  it('refuses a witness checkpoint that does not verify under the trusted key', async () => {
    const stored = JSON.parse(await readFile(witnessFile, 'utf8'));
    stored.seq -= 1;
    const forged = path.join(f.root, 'forged-witness.json');
    await writeFile(forged, JSON.stringify(stored));
    const { code, stderr } = await run(
      'verify',
      '--dir',
      f.directory,
      ...(await trustArgs(f)),
      '--expect-checkpoint',
      forged,
    );
    expect(code).toBe(1);
    expect(stderr).toContain(
      `--expect-checkpoint ${forged} is not a usable witness: checkpoint signature does not match`,
    );
  });
});

/** A forger's key, dropped into the workstation's key folder as if it were the installation's. */
async function dropForgedKey(): Promise<AuditSigningKey> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keyId = keyIdOf(publicKey);
  await writeFile(
    path.join(f.keysDirectory, `forged-${keyId}.pub.pem`),
    publicKey.export({ format: 'pem', type: 'spki' }),
  );
  return { keyId, fingerprint: keyFingerprintOf(publicKey), privateKey, publicKey, created: true };
}

/** Rewrites one event and the whole chain after it, re-signing every checkpoint with `key`. */
async function rewriteAndResign(key: AuditSigningKey): Promise<void> {
  let prev = GENESIS_HASH;
  for (const name of segments) {
    const lines: string[] = [];
    for (const { record } of await records(path.join(f.directory, name))) {
      let line: string;
      if (record.kind === 'event') {
        if (record.seq === 3) record.event = { ...record.event, reason: 'nothing happened' };
        line = canonicalJson({ ...record, prev });
      } else {
        const { seq, id, checkpoint } = record as CheckpointRecord;
        line = canonicalJson(signCheckpoint(key, { seq, id, prev, at: checkpoint.at, workstation: 'COW-3F-12' }));
      }
      lines.push(line);
      prev = sha256Hex(line);
    }
    await writeFile(path.join(f.directory, name), `${lines.join('\n')}\n`);
  }
}

describe('verify trusts only keys given from outside the folder', () => {
  it('refuses --keys without fingerprints: the folder alone is no trust anchor', async () => {
    const { code, stderr } = await run('verify', '--dir', f.directory, '--keys', f.keysDirectory);
    expect(code).toBe(2);
    expect(stderr).toContain(`--keys ${f.keysDirectory} trusts nothing on its own`);
  });

  it('fails history rewritten and re-signed with a forged key dropped into the key folder', async () => {
    const forger = await dropForgedKey();
    await rewriteAndResign(forger);
    const { code, stdout } = await run('verify', '--dir', f.directory, ...(await trustArgs(f)));
    expect(code).toBe(1);
    expect(stdout).toContain(
      `checkpoint is signed with key ${forger.keyId} (fingerprint ${forger.fingerprint}), which is not a trusted key`,
    );
    expect(stdout).not.toContain('signed: records');
    // The forger's key is trusted only when someone lists its fingerprint: then it says who signed what.
    const listed = await run(
      'verify',
      '--dir',
      f.directory,
      '--keys',
      f.keysDirectory,
      '--fingerprint',
      forger.fingerprint,
    );
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      new RegExp(`^signed: records 1\\.\\.\\d+ by key ${forger.keyId} \\(fingerprint ${forger.fingerprint}\\)`, 'm'),
    );
    // And the collector's checkpoint, signed by the real key, still tells the rewrite apart.
    const witnessed = await run(
      'verify',
      '--dir',
      f.directory,
      '--keys',
      f.keysDirectory,
      '--fingerprint',
      forger.fingerprint,
      '--expect-head',
      witnessHead,
    );
    expect(witnessed.code).toBe(1);
    expect(witnessed.stdout).toContain('the journal was rewritten or replaced up to this record');
  });

  it('trusts a --public-key file, and names an unknown fingerprint', async () => {
    const { keyId } = await f.keyStore.signingKey();
    const file = path.join(f.keysDirectory, `${keyId}.pub.pem`);
    const ok = await run('verify', '--dir', f.directory, '--public-key', file);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      new RegExp(
        `^signed: records 1\\.\\.\\d+ by key ${keyId} \\(${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, fingerprint [0-9a-f]{64}\\)`,
        'm',
      ),
    );
    const unknown = await run(
      'verify',
      '--dir',
      f.directory,
      '--keys',
      f.keysDirectory,
      '--fingerprint',
      'AB:'.repeat(31) + 'AB',
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`no public key in ${f.keysDirectory} has fingerprint ${'ab'.repeat(32)}`);
  });
});

describe('the verify command the demo prints', () => {
  it('pins the key the folder holds when printed, and verifies the journal', async () => {
    const args = await pinnedVerifyArgs(f.directory, f.keysDirectory);
    expect(args).toEqual([
      '--dir',
      f.directory,
      '--keys',
      f.keysDirectory,
      '--fingerprint',
      (await f.keyStore.signingKey()).fingerprint,
    ]);
    expect((await run('verify', ...args)).code).toBe(0);
  });
});
