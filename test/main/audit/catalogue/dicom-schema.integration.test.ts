import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateXML } from 'xmllint-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDicomAuditMessage } from '../../../../main/audit/catalogue/dicom-audit-message.js';
import { everyMessageShape } from './message-variants.js';

/**
 * Every DICOM audit message, checked by real RELAX NG validators against the PS3.15 A.5.1.1 schema shipped in
 * test/fixtures/dicom/: jing with the standard's compact syntax (audit-message.rnc), and libxml2 (xmllint-wasm)
 * with its XML-syntax translation (audit-message.rng). An ATNA repository that validates rejects anything else.
 */

const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/dicom/${name}`, import.meta.url));
const hasJing = spawnSync('sh', ['-c', 'command -v jing']).status === 0;
// CI installs jing (.ci/run) and must never skip; a developer machine without it is told how to get it.
const jingMissing =
  hasJing || process.env.CI ? undefined : 'no jing on PATH: run `apt-get install -y jing` (what .ci/run does)';
if (jingMissing) console.log(`skipping the jing half of the DICOM audit schema tests: ${jingMissing}`);

interface Message {
  name: string;
  xml: string;
}

const samples = everyMessageShape();
const valid: Message[] = [
  ...samples.map(({ name, record }) => ({
    name,
    xml: toDicomAuditMessage(record, { enterpriseSiteId: 'St Example Hospital' }),
  })),
  { name: 'no site', xml: toDicomAuditMessage(samples[0]!.record) },
];

/** Messages a schema-validating repository must reject, each made from a valid one. */
function brokenMessages(): Message[] {
  const xml = valid[0]!.xml;
  const broken = [
    // details before the required name: how every message looked before
    {
      name: 'detail first',
      xml: xml.replace(
        /(<ParticipantObjectName>[^<]*<\/ParticipantObjectName>)((?:<ParticipantObjectDetail[^>]*\/>)+)/,
        '$2$1',
      ),
    },
    // a code system on the source type without the meaning the schema then requires
    {
      name: 'source type dcm',
      xml: xml.replace(
        '<AuditSourceTypeCode csd-code="1"/>',
        '<AuditSourceTypeCode csd-code="1" codeSystemName="DCM"/>',
      ),
    },
    { name: 'no outcome', xml: xml.replace(/ EventOutcomeIndicator="0"/, '') },
  ];
  for (const message of broken) expect(message.xml, message.name).not.toBe(xml);
  return broken;
}

describe('DICOM audit messages against the PS3.15 A.5.1.1 schema (xmllint, RELAX NG XML syntax)', () => {
  const schema = [{ fileName: 'audit-message.rng', contents: readFileSync(fixture('audit-message.rng'), 'utf8') }];
  const files = (messages: Message[]) => messages.map((m, i) => ({ fileName: `m${i}.xml`, contents: m.xml }));

  it('accepts every event type in every shape', async () => {
    const result = await validateXML({ xml: files(valid), schema, extension: 'relaxng' });
    expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(valid.length).toBeGreaterThan(100);
  });

  it('rejects what a schema-validating repository rejects (the validator can fail)', async () => {
    for (const message of brokenMessages()) {
      const result = await validateXML({ xml: files([message]), schema, extension: 'relaxng' });
      expect(result.valid, message.name).toBe(false);
    }
  });
});

describe.skipIf(jingMissing !== undefined)('DICOM audit messages against the PS3.15 A.5.1.1 schema (jing)', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'careshell-atna-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function write(messages: Message[]): Promise<string[]> {
    return Promise.all(
      messages.map(async ({ name, xml }) => {
        const file = path.join(dir, `${name.replace(/[^a-z0-9._-]+/gi, '_')}.xml`);
        await writeFile(file, xml);
        return file;
      }),
    );
  }

  /** jing's verdict: the exit status and one line per error, naming the file. */
  function jing(files: string[]): { status: number | null; errors: string[] } {
    const run = spawnSync('jing', ['-c', fixture('audit-message.rnc'), ...files], { encoding: 'utf8' });
    // jing's start-up script warns about optional jars on stderr; the verdict is on stdout.
    return { status: run.status, errors: run.stdout.split('\n').filter((line) => line.includes('error')) };
  }

  it('accepts every event type in every shape', async () => {
    const verdict = jing(await write(valid));
    expect(verdict.errors).toEqual([]);
    expect(verdict.status).toBe(0);
  }, 30_000);

  it('rejects what a schema-validating repository rejects (the validator can fail)', async () => {
    const files = await write(brokenMessages());
    const verdict = jing(files);
    expect(verdict.status).not.toBe(0);
    for (const file of files) expect(verdict.errors.some((line) => line.startsWith(file))).toBe(true);
  }, 30_000);
});
