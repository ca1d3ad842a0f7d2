import { access, appendFile, readFile, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAuditCli } from '../../../../main/audit/cli/audit-cli.js';
import { canonicalJson } from '../../../../main/audit/journal/canonical-json.js';
import { GENESIS_HASH, sha256Hex } from '../../../../main/audit/journal/journal-record.js';
import { segmentName } from '../../../../main/audit/journal/segment-files.js';
import { journalFixture, sampleEvent, trustArgs } from '../support/journal-fixture.js';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runAuditCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

let f: Awaited<ReturnType<typeof journalFixture>>;
let pristine: Map<string, Buffer>;
let segment: string;
let lineOffsets: number[];

beforeAll(async () => {
  f = await journalFixture({ checkpointEvery: 4 });
  const journal = await f.open();
  for (let n = 0; n < 10; n++) await journal.append(sampleEvent(n % 2 ? 'session.lock' : 'session.unlock', n));
  await journal.close();
  const names = (await readdir(f.directory)).filter((name) => name.startsWith('seg-'));
  segment = names[0]!;
  pristine = new Map();
  for (const name of names) pristine.set(name, await readFile(path.join(f.directory, name)));
  const text = pristine.get(segment)!.toString('utf8');
  lineOffsets = [0];
  for (let i = text.indexOf('\n'); i !== -1 && i < text.length - 1; i = text.indexOf('\n', i + 1))
    lineOffsets.push(i + 1);
});
afterAll(() => f.cleanup());
beforeEach(async () => {
  for (const [name, bytes] of pristine) await writeFile(path.join(f.directory, name), bytes);
});

const file = () => path.join(f.directory, segment);
const lines = () => pristine.get(segment)!.toString('utf8').split('\n').slice(0, -1);

describe('careshell-audit verify', () => {
  it('passes an intact journal', async () => {
    const { code, stdout } = await run('verify', '--dir', f.directory, ...(await trustArgs(f)));
    expect(code).toBe(0);
    const { keyId, fingerprint } = await f.keyStore.signingKey();
    const head = sha256Hex(lines().at(-1)!);
    expect(stdout).toBe(
      `signed: records 1..13 by key ${keyId} (fingerprint ${fingerprint}), 3 checkpoint(s)\n` +
        `head: record 13, hash ${head}\n` +
        'OK: 13 records (10 events, 3 checkpoints) in 1 segments, seq 1..13\n',
    );
  });

  it('catches a flipped byte and names the segment and offset where the chain breaks', async () => {
    const bytes = Buffer.from(pristine.get(segment)!);
    const target = lineOffsets[2]! + 20; // inside record 3's event
    bytes[target] = bytes[target]! ^ 0x01;
    await writeFile(file(), bytes);
    const { code, stdout } = await run('verify', '--dir', f.directory, ...(await trustArgs(f)));
    expect(code).toBe(1);
    expect(stdout).toContain(
      `BROKEN ${segment} at byte ${lineOffsets[3]} (record 4): hash chain broken: this record does not follow the record at offset ${lineOffsets[2]}`,
    );
  });

  it('catches a deleted record', async () => {
    await writeFile(
      file(),
      lines()
        .filter((_, i) => i !== 5)
        .join('\n') + '\n',
    );
    const { code, stdout } = await run('verify', '--dir', f.directory, ...(await trustArgs(f)));
    expect(code).toBe(1);
    expect(stdout).toContain(`BROKEN ${segment} at byte ${lineOffsets[5]} (record 7): sequence jumps from 5 to 7`);
  });

  it('catches a reordered record', async () => {
    const reordered = lines();
    [reordered[6], reordered[7]] = [reordered[7]!, reordered[6]!];
    await writeFile(file(), reordered.join('\n') + '\n');
    const { code, stdout } = await run('verify', '--dir', f.directory, ...(await trustArgs(f)));
    expect(code).toBe(1);
    expect(stdout).toContain(`BROKEN ${segment} at byte ${lineOffsets[6]} (record 8): sequence jumps from 6 to 8`);
  });

  it('catches a rewritten chain through the checkpoint signature', async () => {
    // An attacker who recomputes every hash after changing record 1 still cannot re-sign the checkpoint.
    const { canonicalJson } = await import('../../../../main/audit/journal/canonical-json.js');
    const { sha256Hex, GENESIS_HASH } = await import('../../../../main/audit/journal/journal-record.js');
    let prev = GENESIS_HASH;
    const forged = lines().map((line, i) => {
      const record = JSON.parse(line);
      if (i === 0) record.event.actor.userId = 'someone-else';
      record.prev = prev;
      const text = canonicalJson(record);
      prev = sha256Hex(text);
      return text;
    });
    await writeFile(file(), forged.join('\n') + '\n');
    const { code, stdout } = await run('verify', '--dir', f.directory, ...(await trustArgs(f)));
    expect(code).toBe(1);
    const forgedOffset = forged.slice(0, 4).join('\n').length + 1;
    expect(stdout.split('\n')[0]).toBe(
      `BROKEN ${segment} at byte ${forgedOffset} (record 5): checkpoint signature does not match: the records it covers or the checkpoint itself were altered`,
    );
  });

  it('catches a journal whose first segment was removed', async () => {
    await unlink(file());
    await writeFile(path.join(f.directory, 'seg-0000000000000009.jsonl'), lines().slice(8).join('\n') + '\n');
    const { code, stdout } = await run('verify', '--dir', f.directory, ...(await trustArgs(f)));
    await unlink(path.join(f.directory, 'seg-0000000000000009.jsonl'));
    expect(code).toBe(1);
    expect(stdout).toContain(
      'BROKEN seg-0000000000000009.jsonl at byte 0: the journal starts at record 9: the segments before it are missing',
    );
  });

  it('refuses to run without trusted keys, and rejects checkpoints under an unknown key', async () => {
    expect((await run('verify', '--dir', f.directory)).code).toBe(2);
    const other = await journalFixture();
    await (
      await other.keyStore.signingKey()
    ).keyId;
    const { code, stdout } = await run('verify', '--dir', f.directory, ...(await trustArgs(other)));
    await other.cleanup();
    expect(code).toBe(1);
    expect(stdout).toContain(
      'which is not a trusted key: verify trusts only the keys given with --public-key or --fingerprint',
    );
  });
});

/**
 * What an attacker without the signing key can do: drop every checkpoint, change an event, renumber and
 * re-hash everything after it and rename the segments to match. Every link then holds.
 */
async function stripCheckpointsAndRewriteChain(directory: string): Promise<void> {
  const names = (await readdir(directory)).filter((name) => name.startsWith('seg-')).sort();
  let prev = GENESIS_HASH;
  let seq = 0;
  const rewritten: [string, string][] = [];
  for (const name of names) {
    const records = (await readFile(path.join(directory, name), 'utf8'))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((record) => record.kind === 'event');
    const lines = records.map((record) => {
      if (seq === 0) record.event.actor.userId = 'someone-else';
      record.seq = ++seq;
      record.prev = prev;
      const text = canonicalJson(record);
      prev = sha256Hex(text);
      return text;
    });
    await rm(path.join(directory, name));
    rewritten.push([segmentName(records[0].seq), `${lines.join('\n')}\n`]);
  }
  for (const [name, text] of rewritten) await writeFile(path.join(directory, name), text);
}

describe('careshell-audit verify against stripped checkpoints', () => {
  it('fails a one-segment journal whose unsigned tail is longer than the checkpoint policy allows', async () => {
    const g = await journalFixture({ checkpointEvery: 4 });
    try {
      const journal = await g.open();
      for (let n = 0; n < 10; n++) await journal.append(sampleEvent('session.unlock', n));
      await journal.close();
      await stripCheckpointsAndRewriteChain(g.directory);
      const { code, stdout } = await run(
        'verify',
        '--dir',
        g.directory,
        ...(await trustArgs(g)),
        '--max-unsigned',
        '3',
      );
      expect(code).toBe(1);
      expect(stdout).toContain(
        'BROKEN seg-0000000000000001.jsonl at byte 0 (record 1): the last 10 records, from this one on, are not covered by any checkpoint signature, but CareShell signs at least every 4 records',
      );
      expect(stdout).toMatch(/^FAILED: 1 problem\(s\); 10 records \(10 events, 0 checkpoints\)/m);
      // Three unsigned records after a crash are what the writer can leave: that passes.
      expect((await run('verify', '--dir', g.directory, ...(await trustArgs(g)), '--max-unsigned', '10')).code).toBe(0);
      expect((await run('verify', '--dir', g.directory, ...(await trustArgs(g)), '--max-unsigned', 'lots')).code).toBe(
        2,
      );
    } finally {
      await g.cleanup();
    }
  });

  it('fails a rotated journal at every segment that does not end with a checkpoint, and at the long unsigned tail', async () => {
    const g = await journalFixture({ maxSegmentBytes: 64 * 1024 });
    try {
      const journal = await g.open();
      await Promise.all(Array.from({ length: 1200 }, (_, n) => journal.append(sampleEvent('session.lock', n))));
      await journal.close();
      expect((await run('verify', '--dir', g.directory, ...(await trustArgs(g)))).code).toBe(0);
      await stripCheckpointsAndRewriteChain(g.directory);
      const names = (await readdir(g.directory)).filter((name) => name.startsWith('seg-')).sort();
      expect(names.length).toBeGreaterThan(3);

      const { code, stdout } = await run('verify', '--dir', g.directory, ...(await trustArgs(g)));
      expect(code).toBe(1);
      const broken = stdout.split('\n').filter((line) => line.startsWith('BROKEN'));
      for (const name of names.slice(0, -1)) {
        expect(broken).toContainEqual(
          expect.stringMatching(
            new RegExp(
              `^BROKEN ${name} at byte \\d+ \\(record \\d+\\): the segment ends with \\d+ record\\(s\\) no checkpoint signs`,
            ),
          ),
        );
      }
      expect(broken.at(-1)).toContain(
        'BROKEN seg-0000000000000001.jsonl at byte 0 (record 1): the last 1200 records, from this one on, are not covered',
      );
      // However much unsigned tail is allowed, the segment ends still give it away.
      const lenient = await run('verify', '--dir', g.directory, ...(await trustArgs(g)), '--max-unsigned', '100000');
      expect(lenient.code).toBe(1);
      expect(lenient.stdout).toContain(`FAILED: ${names.length - 1} problem(s)`);
    } finally {
      await g.cleanup();
    }
  });
});

describe('careshell-audit export and tail', () => {
  it('exports a time range as JSON lines', async () => {
    const { code, stdout } = await run(
      'export',
      '--dir',
      f.directory,
      '--from',
      sampleEvent('session.lock', 3).at,
      '--to',
      sampleEvent('session.lock', 6).at,
    );
    expect(code).toBe(0);
    const rows = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows.map((r) => r.event.details.n)).toEqual([3, 4, 5]);
    expect(rows[0]).toMatchObject({ seq: 4, id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('exports a FHIR Bundle of AuditEvents to a file', async () => {
    const out = path.join(f.root, 'export.json');
    expect((await run('export', '--dir', f.directory, '--format', 'fhir', '--out', out)).code).toBe(0);
    const bundle = JSON.parse(await readFile(out, 'utf8'));
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(bundle.entry).toHaveLength(10);
    expect(bundle.entry[1].resource).toMatchObject({
      resourceType: 'AuditEvent',
      type: { code: '110114' },
      subtype: [{ code: '110123' }, { code: 'session.lock' }],
    });
  });

  it('leaves out a record that cannot be read, names it briefly, keeps the FHIR Bundle valid and exits 1', async () => {
    const text = pristine.get(segment)!.toString('utf8');
    await writeFile(file(), text.replace('"type":"session.lock"', '"type":"session.locked"'));
    const { code, stdout, stderr } = await run('export', '--dir', f.directory, '--format', 'fhir');
    expect(code).toBe(1);
    const bundle = JSON.parse(stdout);
    expect(
      bundle.entry.map(
        (e: { resource: { entity: { detail: { type: string; valueString: string }[] }[] } }) =>
          e.resource.entity[0]!.detail[0]!.valueString,
      ),
    ).toEqual(['1', '3', '4', '6', '7', '8', '9', '11', '12']);
    const [leftOut, summary] = stderr.trimEnd().split('\n');
    expect(leftOut).toBe(
      `careshell-audit: left out ${segment} at byte ${lineOffsets[1]} (record 2): the event does not match the schema: event.type "session.locked" is not a value this version of CareShell knows`,
    );
    expect(summary).toContain('1 unreadable record(s) left out (listed above); everything else was written');
  });

  it('removes a half-written --out file when the export fails part-way', async () => {
    // A record cut in half at the end of a segment that is not the last cannot be stepped over.
    await writeFile(file(), lines().slice(0, 8).join('\n') + '\n' + lines()[8]!.slice(0, 50));
    await writeFile(path.join(f.directory, 'seg-0000000000000009.jsonl'), lines().slice(8).join('\n') + '\n');
    const out = path.join(f.root, 'broken-export.json');
    try {
      const { code, stderr } = await run('export', '--dir', f.directory, '--format', 'fhir', '--out', out);
      expect(code).toBe(1);
      expect(stderr).toContain(`${segment} at byte ${lineOffsets[8]}: an incomplete record (no line end)`);
      expect(stderr).toContain(`Nothing was exported: ${out} was removed.`);
      await expect(access(out)).rejects.toThrow('ENOENT');
    } finally {
      await unlink(path.join(f.directory, 'seg-0000000000000009.jsonl'));
    }
  });

  it('never overwrites an existing --out file', async () => {
    const out = path.join(f.root, 'existing.jsonl');
    await writeFile(out, 'keep me');
    const { code, stderr } = await run('export', '--dir', f.directory, '--out', out);
    expect(code).toBe(1);
    expect(stderr).toContain(`${out} already exists; export never overwrites a file`);
    expect(await readFile(out, 'utf8')).toBe('keep me');
  });

  it('prints the usage on stderr with exit 2 when no command is given', async () => {
    const { code, stdout, stderr } = await run();
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^careshell-audit: no command given\.\n\nUsage: careshell-audit <command>/);
    expect((await run('help')).stdout).toContain('Usage: careshell-audit <command>');
  });

  it('tail --follow waits at a record still being written and prints it once it is complete', async () => {
    const record = {
      kind: 'event',
      seq: 14,
      id: '6d1f3c2a-0000-4000-8000-000000000014',
      prev: sha256Hex(lines().at(-1)!),
      event: sampleEvent('session.sign_out', 10),
    };
    const line = `${canonicalJson(record)}\n`;
    await appendFile(file(), line.slice(0, 100));
    const controller = new AbortController();
    let stdout = '';
    let stderr = '';
    const running = runAuditCli(['tail', '--dir', f.directory, '-n', '1', '--follow'], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      signal: controller.signal,
      pollMs: 1,
    });
    const settled = running.then(() => true);
    const eventually = async (condition: () => boolean) => {
      for (let i = 0; i < 2000 && !condition(); i++)
        await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 5))]);
    };
    await eventually(() => stdout.includes('"n":9') || stderr !== '');
    expect(stderr).toBe('');
    await appendFile(file(), line.slice(100));
    await eventually(() => stdout.includes('"n":10') || stderr !== '');
    controller.abort();
    expect(await running).toBe(0);
    expect(stderr).toBe('');
    expect(
      stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).event.details.n),
    ).toEqual([9, 10]);
  });

  it('tails the last N events and rejects bad arguments with usage help', async () => {
    const { stdout } = await run('tail', '--dir', f.directory, '-n', '2');
    expect(
      stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line).event.details.n),
    ).toEqual([8, 9]);
    const bad = await run('export', '--dir', f.directory, '--format', 'xml');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be jsonl or fhir');
  });
});
