import { CARESHELL_BUNDLE_ID } from '../policy/managed-preferences-policy-source.js';
import { POLICY_VERSION } from '../policy/policy-root.js';
import { admxTemplate } from '../policy/templates/admx-template.js';
import { jsonSchemaTemplate } from '../policy/templates/json-schema-template.js';
import { mobileconfigTemplate } from '../policy/templates/mobileconfig-template.js';
import { policyCatalogue } from '../policy/templates/policy-catalogue.js';
import { PREFERENCE_DEFAULTS } from '../preferences/preference-settings.js';
import { POLICY_KEY_TEXT } from './careshell-policy-descriptions.js';
import { careShellPolicySchema, resolveCareShellPolicy } from './careshell-policy.js';

/** Where the generated templates are committed (docs/policy.md#templates). */
export const POLICY_TEMPLATES_DIR = 'packaging/policy-templates';

/** What CareShell runs on when no key is set, as a policy document. */
function defaultsDocument() {
  const resolved = resolveCareShellPolicy(undefined);
  if (!resolved.ok) throw new Error('the built-in defaults do not resolve');
  const { session, readers, audit, pin, stepUp, kiosk, hardening } = resolved.policy;
  const { profile, ...sessionDefaults } = session;
  const { maxAttempts: _sessionKey, ...identityPin } = pin;
  return {
    version: POLICY_VERSION,
    profile,
    session: sessionDefaults,
    readers,
    audit,
    identity: { pin: identityPin, stepUp },
    kiosk,
    hardening,
    preferences: PREFERENCE_DEFAULTS,
  };
}

/** Every template IT imports, by file name, generated from the one policy schema. */
export function careShellPolicyTemplates(): Record<string, string> {
  const entries = policyCatalogue({
    schema: careShellPolicySchema,
    texts: POLICY_KEY_TEXT,
    defaults: defaultsDocument(),
  });
  const { admx, adml } = admxTemplate(entries, {
    namespace: 'CareShell.Policies.CareShell',
    prefix: 'careshell',
    product: 'CareShell',
    supportedOn: 'CareShell 0.1 and later',
  });
  return {
    'windows/CareShell.admx': admx,
    'windows/en-US/CareShell.adml': adml,
    'macos/org.careshell.workstation.mobileconfig': mobileconfigTemplate(entries, {
      bundleId: CARESHELL_BUNDLE_ID,
      product: 'CareShell',
      profileUuid: '6F1D2C3B-7A4E-4C59-9B1A-0C5E2D7F8A10',
      payloadUuid: '2B8E4F61-3C7D-4A92-8E5B-1D0F6A9C3E24',
    }),
    'linux/policy.schema.json': jsonSchemaTemplate(careShellPolicySchema, entries, 'CareShell machine policy'),
  };
}
