import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'plist';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { careShellPolicyTemplates, POLICY_TEMPLATES_DIR } from '../../../main/app/careshell-policy-templates.js';
import { careShellPolicySchema } from '../../../main/app/careshell-policy.js';
import { policyKeys } from '../../../main/policy/policy-keys.js';

const templates = careShellPolicyTemplates();
const admx = templates['windows/CareShell.admx']!;
const adml = templates['windows/en-US/CareShell.adml']!;
const keyCount = policyKeys(careShellPolicySchema).length;

describe('policy templates (packaging/policy-templates)', () => {
  it('are committed exactly as the schema generates them: run npm run policy:templates after a schema change', async () => {
    for (const [name, text] of Object.entries(templates)) {
      const committed = await readFile(path.join(POLICY_TEMPLATES_DIR, name), 'utf8').catch(() => 'missing');
      expect(committed, `${POLICY_TEMPLATES_DIR}/${name} is stale`).toBe(text);
    }
  });

  it('ADMX and ADML are well-formed XML', async () => {
    for (const [fileName, xml] of [
      ['CareShell.admx', admx],
      ['CareShell.adml', adml],
    ] as const) {
      const result = await validateXML({ xml: { fileName, contents: xml }, normalization: 'format' });
      expect(result.errors, fileName).toEqual([]);
      expect(result.valid).toBe(true);
    }
    const broken = await validateXML({ xml: { fileName: 'x.admx', contents: '<a><b></a>' }, normalization: 'format' });
    expect(broken.valid).toBe(false);
  });

  // Microsoft's ADMX schema (PolicyDefinitionFiles.xsd, BaseTypes.xsd, PolicyDefinitions.xsd) is not ours to ship:
  // point CARESHELL_ADMX_XSD at a folder holding them to validate against it (docs/policy.md#templates).
  const xsdDir = process.env.CARESHELL_ADMX_XSD;
  if (!xsdDir) console.log('skipping ADMX schema validation: set CARESHELL_ADMX_XSD to a folder with the ADMX XSDs');
  it.skipIf(!xsdDir)('ADMX and ADML are valid against the ADMX schema', async () => {
    const file = async (fileName: string) => ({
      fileName,
      contents: await readFile(path.join(xsdDir!, fileName), 'utf8'),
    });
    const schema = await file('PolicyDefinitionFiles.xsd');
    const preload = [await file('BaseTypes.xsd'), await file('PolicyDefinitions.xsd')];
    for (const [fileName, xml] of [
      ['CareShell.admx', admx],
      ['CareShell.adml', adml],
    ] as const) {
      const result = await validateXML({ xml: { fileName, contents: xml }, schema, preload });
      expect(result.errors.map((e) => e.message)).toEqual([]);
    }
  });

  it('ADMX has a policy for every key but version, and each reference resolves in the ADML', () => {
    expect(admx.match(/<policy name=/g)).toHaveLength(keyCount - 1);
    const strings = new Set([...adml.matchAll(/<string id="([^"]+)"/g)].map((m) => m[1]));
    const presentations = new Set([...adml.matchAll(/<presentation id="([^"]+)"/g)].map((m) => m[1]));
    for (const [, id] of admx.matchAll(/\$\(string\.([^)]+)\)/g)) expect(strings, id).toContain(id);
    for (const [, id] of admx.matchAll(/\$\(presentation\.([^)]+)\)/g)) expect(presentations, id).toContain(id);
    const elementIds = new Set([...admx.matchAll(/<(?:decimal|enum|text|list) id="([^"]+)"/g)].map((m) => m[1]));
    for (const [, ref] of adml.matchAll(/refId="([^"]+)"/g)) expect(elementIds, ref).toContain(ref);
  });

  it('ADMX writes each kind of key as the registry source reads it', () => {
    expect(admx).toContain(
      '<decimal id="session_idleTimeoutSeconds" valueName="idleTimeoutSeconds" required="true" minValue="30" maxValue="3600" />',
    );
    expect(admx).toMatch(/<enum id="session_signIn" valueName="signIn"[^]*?<string>badge\+pin<\/string>/);
    expect(admx).toContain(
      '<list id="identity_scopes" key="SOFTWARE\\Policies\\CareShell\\identity\\scopes" valuePrefix="" />',
    );
    expect(admx).toMatch(
      /<policy name="kiosk_allowQuit"[^>]*valueName="allowQuit">[^]*?<enabledValue><decimal value="1" \/>/,
    );
    expect(admx).toContain('<text id="profiles" valueName="profiles" required="true" maxLength="510" />');
    expect(adml).toContain('Range: 30-3600. Default: 300.');
  });

  it('the .mobileconfig is a property list whose payload is a valid policy with every defaulted key', () => {
    const profile = parse(templates['macos/org.careshell.workstation.mobileconfig']!) as {
      PayloadContent: Record<string, unknown>[];
    };
    const {
      PayloadType,
      PayloadVersion,
      PayloadIdentifier,
      PayloadUUID,
      PayloadDisplayName,
      PayloadEnabled,
      ...policy
    } = profile.PayloadContent[0]!;
    expect(PayloadType).toBe('org.careshell.workstation');
    expect([PayloadVersion, PayloadIdentifier, PayloadUUID, PayloadDisplayName, PayloadEnabled]).not.toContain(
      undefined,
    );
    const parsed = careShellPolicySchema.safeParse(policy);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(policy).toMatchObject({
      version: 1,
      session: { idleTimeoutSeconds: 300, tapOut: { sameUser: 'lock' } },
      preferences: { pinPadLayout: 'phone' },
    });
    expect(templates['macos/org.careshell.workstation.mobileconfig']).toContain(
      '<!-- Idle timeout (seconds): Seconds without input before the session locks. Range: 30-3600. Default: 300. -->',
    );
  });

  it('the JSON Schema describes every key and validates policy files as the loader does', () => {
    const schema = JSON.parse(templates['linux/policy.schema.json']!) as Record<string, unknown>;
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate({ version: 1, session: { graceMinutes: 15 }, kiosk: { allowQuit: true } })).toBe(true);
    expect(validate({ version: 1, session: { graceMinutes: 4800 } })).toBe(false);
    expect(validate({ version: 1, session: { idleTimeoutSecs: 90 } })).toBe(false);
    const text = templates['linux/policy.schema.json']!;
    expect(text.match(/"description":/g)!.length).toBeGreaterThanOrEqual(keyCount);
  });
});
