import { DEFAULT_BREAK_GLASS_POLICY } from '../../../main/break-glass/break-glass-policy.js';
import { describe, expect, it } from 'vitest';
import { careShellPolicyTemplates } from '../../../main/app/careshell-policy-templates.js';
import { careShellPolicySchema, resolveCareShellPolicy } from '../../../main/app/careshell-policy.js';
import { DEFAULT_JUST_IN_TIME_POLICY } from '../../../main/just-in-time/just-in-time-policy.js';
import { DEFAULT_STEP_UP_POLICY } from '../../../main/identity/step-up/step-up-policy.js';
import { loadMachinePolicy } from '../../../main/policy/machine-policy-source.js';
import { REGISTRY_POLICY_KEY, type RegistryValue } from '../../../main/policy/registry-policy-document.js';
import { registryPolicySource } from '../../../main/policy/registry-policy-source.js';
import { fixtureReader, type RegistryFixture } from '../policy/support/registry-fixture.js';

const admx = careShellPolicyTemplates()['windows/CareShell.admx']!;
const adml = careShellPolicyTemplates()['windows/en-US/CareShell.adml']!;
const attr = (tag: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1];
const unescape = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/**
 * What Group Policy writes when every CareShell policy is enabled with the value its ADML presents (its default)
 * and the identity and EHR essentials typed in: read from the generated ADMX/ADML, not from the generator.
 */
function groupPolicyApplied(): RegistryFixture {
  const fixture: RegistryFixture = {};
  const put = (key: string, name: string, value: RegistryValue) => {
    const sub = key === REGISTRY_POLICY_KEY ? '' : key.slice(REGISTRY_POLICY_KEY.length + 1);
    (fixture[sub] ??= {})[name] = value;
  };
  const typed: Record<string, string> = {
    identity_clientId: 'careshell',
    identity_authority: 'https://login.microsoftonline.com/contoso.example',
    ehr_url: 'https://ehr.contoso.example/',
    audit_review_sourceUrl: 'https://audit.contoso.example/fhir',
    identity_revocationList_url: 'https://revocations.contoso.example/list.jws',
    identity_revocationList_publicKeys: JSON.stringify([
      { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo', kid: 'k1' },
    ]),
  };
  for (const [, open, body] of admx.matchAll(/(<policy [^>]*>)([^]*?)<\/policy>/g)) {
    const name = attr(open!, 'name')!;
    const key = unescape(attr(open!, 'key')!);
    const presentation = new RegExp(`<presentation id="${name}">([^]*?)</presentation>`).exec(adml)?.[1] ?? '';
    const elements = /<elements>([^]*?)<\/elements>/.exec(body!)?.[1] ?? '';
    const element = /<(decimal|enum|text|list) ([^>]*)\/?>/.exec(elements);
    put(REGISTRY_POLICY_KEY, 'version', { type: 'REG_DWORD', data: 1 });
    if (!element) {
      // A boolean policy: enabled (1) or disabled (0) as its explanation gives the default.
      const explain = new RegExp(`<string id="${name}_Explain">[^<]*Default: (true|false)\\.`).exec(adml)?.[1];
      put(key, attr(open!, 'valueName')!, { type: 'REG_DWORD', data: explain === 'true' ? 1 : 0 });
      continue;
    }
    const [, kind, attrs] = element;
    const valueName = attr(attrs!, 'valueName')!;
    if (kind === 'decimal') {
      const d = attr(presentation, 'defaultValue');
      if (d !== undefined) put(key, valueName, { type: 'REG_DWORD', data: Number(d) });
    } else if (kind === 'enum') {
      const index = Number(attr(presentation, 'defaultItem') ?? -1);
      const values = [...element.input.slice(element.index).matchAll(/<string>([^<]*)<\/string>/g)];
      if (index >= 0) put(key, valueName, { type: 'REG_SZ', data: unescape(values[index]![1]!) });
    } else if (kind === 'text') {
      const d = /<defaultValue>([^<]*)<\/defaultValue>/.exec(presentation)?.[1];
      const text = typed[name] ?? (d === undefined ? undefined : unescape(d));
      if (text !== undefined) put(key, valueName, { type: 'REG_SZ', data: text });
    } else {
      // Lists start empty in the editor: IT types the step-up actions' lists, since an action set replaces its defaults.
      const [, action, field] = /^identity_stepUp_actions_(.+)_(methods|allowedRoles)$/.exec(name) ?? [];
      const actionName = action?.replace(/_/g, '-') as keyof typeof DEFAULT_STEP_UP_POLICY.actions | undefined;
      const items = actionName && DEFAULT_STEP_UP_POLICY.actions[actionName]?.[field as 'methods' | 'allowedRoles'];
      items?.forEach((item, i) => put(unescape(attr(attrs!, 'key')!), String(i + 1), { type: 'REG_SZ', data: item }));
    }
  }
  return fixture;
}

describe('the generated ADMX and the registry source agree', () => {
  it('a registry written by Group Policy from the templates reads back as the built-in defaults', async () => {
    const source = registryPolicySource({
      schema: careShellPolicySchema,
      reader: { ok: true, reader: fixtureReader(groupPolicyApplied()) },
    });
    const loaded = await loadMachinePolicy(source, careShellPolicySchema);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const resolved = resolveCareShellPolicy(loaded.policy);
    const defaults = resolveCareShellPolicy(undefined);
    if (!resolved.ok || !defaults.ok) throw new Error('policy did not resolve');
    const { lockedKeys, identity, ehr, preferences, audit, breakGlass, justInTime, ...rest } = resolved.policy;
    const {
      lockedKeys: _none,
      identity: _i,
      ehr: _e,
      preferences: _p,
      audit: builtInAudit,
      breakGlass: _b,
      justInTime: _j,
      ...builtIn
    } = defaults.policy;
    expect(rest).toEqual(builtIn);
    // The review source is typed in; everything else under audit is its default.
    const { review, ...auditRest } = audit;
    expect(auditRest).toEqual(builtInAudit);
    expect(review).toMatchObject({ sourceUrl: 'https://audit.contoso.example/fhir', windowDays: 30 });
    expect(lockedKeys).toContain('tapOut.sameUser');
    expect(identity).toMatchObject({ clientId: 'careshell', protocolMode: 'AAD', rolesClaim: 'roles' });
    expect(ehr?.url).toBe('https://ehr.contoso.example/');
    // Break-glass applies with an EHR: every key at its default.
    expect(breakGlass).toEqual(DEFAULT_BREAK_GLASS_POLICY);
    // Group Policy writes every key of the just-in-time section, so it is on, at its defaults.
    expect(justInTime).toEqual(DEFAULT_JUST_IN_TIME_POLICY);
    expect(preferences).toEqual({ language: 'en', pinPadLayout: 'phone', soundCues: true });
  });
});
