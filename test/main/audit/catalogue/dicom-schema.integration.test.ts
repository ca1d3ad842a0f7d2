import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDicomAuditMessage } from '../../../../main/audit/catalogue/dicom-audit-message.js';
import { everyMessageShape } from './message-variants.js';

/**
 * Every DICOM audit message, checked by a real RELAX NG validator (jing) against the PS3.15 A.5.1.1 schema
 * shipped in test/fixtures/dicom/: an ATNA repository that validates rejects anything else.
 */

const SCHEMA = fileURLToPath(new URL('../../../fixtures/dicom/audit-message.rnc', import.meta.url));
const hasJing = spawnSync('sh', ['-c', 'command -v jing']).status === 0;
// CI installs jing (.ci/run) and must never skip; a developer machine without it is told how to get it.
const missing =
  hasJing || process.env.CI ? undefined : 'no jing on PATH: run `apt-get install -y jing` (what .ci/run does)';
if (missing) console.log(`skipping the DICOM audit schema tests: ${missing}`);

/** jing's verdict on some messages: the exit status and one line per error, naming the file. */
function jing(files: string[]): { status: number | null; errors: string[] } {
  const run = spawnSync('jing', ['-c', SCHEMA, ...files], { encoding: 'utf8' });
  // jing's start-up script warns about optional jars on stderr; the verdict is on stdout.
  const errors = run.stdout.split('\n').filter((line) => line.includes('error'));
  return { status: run.status, errors };
}

describe.skipIf(missing !== undefined)('DICOM audit messages against the PS3.15 A.5.1.1 schema (jing)', () => {
  let dir: string;
  const samples = everyMessageShape();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'careshell-atna-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function write(name: string, xml: string): Promise<string> {
    const file = path.join(dir, `${name.replace(/[^a-z0-9._-]+/gi, '_')}.xml`);
    await writeFile(file, xml);
    return file;
  }

  it('accepts every event type in every shape', async () => {
    const files = await Promise.all(
      samples.map(({ name, record }) =>
        write(name, toDicomAuditMessage(record, { enterpriseSiteId: 'St Example Hospital' })),
      ),
    );
    files.push(await write('no-site', toDicomAuditMessage(samples[0]!.record)));
    const verdict = jing(files);
    expect(verdict.errors).toEqual([]);
    expect(verdict.status).toBe(0);
    expect(files.length).toBeGreaterThan(100);
  }, 30_000);

  it('rejects what a schema-validating repository rejects (the validator can fail)', async () => {
    const valid = toDicomAuditMessage(samples[0]!.record);
    const broken = {
      // details before the required name: how every message looked before
      'detail-first': valid.replace(
        /(<ParticipantObjectName>[^<]*<\/ParticipantObjectName>)((?:<ParticipantObjectDetail[^>]*\/>)+)/,
        '$2$1',
      ),
      // a DCM-coded source type without the meaning the schema requires with a code system
      'source-type-dcm': valid.replace(
        '<AuditSourceTypeCode csd-code="1"/>',
        '<AuditSourceTypeCode csd-code="1" codeSystemName="DCM"/>',
      ),
      'no-outcome': valid.replace(/ EventOutcomeIndicator="0"/, ''),
    };
    for (const [name, xml] of Object.entries(broken)) expect(xml, name).not.toBe(valid);
    const files = await Promise.all(Object.entries(broken).map(([name, xml]) => write(name, xml)));
    const verdict = jing(files);
    expect(verdict.status).not.toBe(0);
    for (const file of files) expect(verdict.errors.some((line) => line.startsWith(file))).toBe(true);
  }, 30_000);
});
