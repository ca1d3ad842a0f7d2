import { z } from 'zod';
import { readerConfigSchema, type ReaderConfig } from '../../native/manager/reader-config.js';
import { auditPolicySchema, type AuditPolicy } from '../audit/forwarding/audit-policy.js';
import {
  DEFAULT_PIN_POLICY,
  pinPolicyOverrideSchema,
  pinPolicySchema,
  type PinPolicy,
} from '../identity/pin/pin-policy.js';
import { healthPolicySchema, type HealthPolicy } from '../health/health-policy.js';
import { breakGlassPolicySchema, type BreakGlassPolicy } from '../break-glass/break-glass-policy.js';
import { justInTimePolicySchema, type JustInTimePolicy } from '../just-in-time/just-in-time-policy.js';
import {
  temporaryAccessPolicySchema,
  type TemporaryAccessPolicy,
} from '../temporary-access/temporary-access-policy.js';
import { DEFAULT_STEP_UP_POLICY, stepUpPolicySchema, type StepUpPolicy } from '../identity/step-up/step-up-policy.js';
import { buildPolicyRootSchema, type UserPreference } from '../policy/policy-root.js';
import { preferenceOverrideSchema, type PreferenceOverride } from '../preferences/preference-settings.js';
import { revocationListPolicySchema } from '../revocation/revocation-list-policy.js';
import { problemsFromZod, type PolicyProblem } from '../policy/policy-problem.js';
import { resolveSessionPolicy } from '../policy/resolve-policy.js';
import type { SessionPolicy } from '../policy/session-settings.js';

const httpsUrl = (what: string) =>
  z.url({ error: `must be a URL` }).refine((url) => url.startsWith('https://'), `${what} must be https://`);

/** `identity`: the hospital's identity provider (Entra ID in production) and PIN rules. */
export const identityPolicySchema = z.strictObject({
  clientId: z.string().min(1),
  authority: httpsUrl('the authority'),
  /** Hosts (host:port) msal may trust without Entra instance discovery: needed for non-Entra providers. */
  knownAuthorities: z.array(z.string().min(1)).default([]),
  protocolMode: z.enum(['AAD', 'OIDC']).default('AAD'),
  scopes: z.array(z.string().min(1)).default([]),
  rolesClaim: z.string().min(1).default('roles'),
  /**
   * Roles from security groups (the ID token's `groups` claim): group object id -> CareShell roles, added to
   * the roles claim's. For tenants that do not assign app roles (docs/it-guide.md#entra-id-app-registration).
   */
  groupRoles: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)).default({}),
  consentForOfflineAccess: z.boolean().default(false),
  /**
   * Other https origins the sign-in window may go to during a sign-in (a federated Entra sign-in that hands
   * over to the hospital's own ADFS, for instance); everything else is blocked there.
   */
  allowedOrigins: z.array(httpsUrl('each allowed origin')).default([]),
  /** PEM files of extra CAs to trust for the provider (a hospital TLS-inspecting proxy). */
  extraCaFiles: z.array(z.string().min(1)).default([]),
  /** PIN rules; the number of tries before lockout is session.pin.maxAttempts. */
  pin: pinPolicyOverrideSchema.optional(),
  stepUp: stepUpPolicySchema.optional(),
  /**
   * Accounts IT has taken off CareShell (left the hospital, badge stolen): each workstation unenrolls them,
   * ends their sessions and refuses them until they are removed from this list. Applied without a restart.
   */
  revoked: z.array(z.strictObject({ userId: z.string().min(1), reason: z.string().min(1).max(500) })).default([]),
  /** A signed list of revoked accounts fetched over HTTPS (docs/temporary-access.md#revocation-list). */
  revocationList: revocationListPolicySchema.optional(),
});
export type IdentityPolicy = z.infer<typeof identityPolicySchema>;

/** https, or http on this machine's loopback only (the demo EHR, docs/break-glass-api.md#the-demo-ehr). */
const ehrUrl = z
  .url({ error: 'must be a URL' })
  .refine(
    (url) => url.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/.test(url),
    'the EHR URL must be https:// (http:// only on 127.0.0.1 or localhost)',
  );

/** `ehr`: the hospital's EHR web app shown to signed-in clinicians. */
export const ehrPolicySchema = z.strictObject({
  url: ehrUrl,
  /** Other origins the EHR may navigate to (its identity provider, a second host); everything else is blocked. */
  allowedOrigins: z.array(httpsUrl('each allowed origin')).default([]),
});
export type EhrPolicy = z.infer<typeof ehrPolicySchema>;

/** `kiosk`: what the person at the workstation may do to CareShell itself. */
export const kioskPolicySchema = z.strictObject({
  /** Closing the window or quitting (Ctrl+Q, Cmd+Q) ends CareShell; off, they are refused: a kiosk stays up. */
  allowQuit: z.boolean().default(false),
});
export type KioskPolicy = z.infer<typeof kioskPolicySchema>;

/** `hardening`: explicit exceptions to CareShell's refusals, each a weaker posture IT chooses knowingly. */
export const hardeningPolicySchema = z.strictObject({
  /**
   * Accept key storage that does not really encrypt (Linux safeStorage's basic_text backend, a fixed
   * password, when no keyring runs; the demo's plain files). Off, such a workstation refuses to start.
   */
  allowPlaintextKeyStorage: z.boolean().default(false),
});
export type HardeningPolicy = z.infer<typeof hardeningPolicySchema>;

/** The whole machine policy file: the session root plus every area's section (docs/policy.md). */
export const careShellPolicySchema = buildPolicyRootSchema({
  readers: readerConfigSchema,
  audit: auditPolicySchema,
  identity: identityPolicySchema,
  ehr: ehrPolicySchema,
  breakGlass: breakGlassPolicySchema,
  justInTime: justInTimePolicySchema,
  temporaryAccess: temporaryAccessPolicySchema,
  kiosk: kioskPolicySchema,
  hardening: hardeningPolicySchema,
  health: healthPolicySchema,
  preferences: preferenceOverrideSchema,
});
export type CareShellPolicyFile = z.infer<typeof careShellPolicySchema>;

export interface ResolvedPolicy {
  session: SessionPolicy;
  /** Session keys set by machine policy: shown read-only in preferences. */
  lockedKeys: string[];
  readers: ReaderConfig;
  audit: AuditPolicy;
  identity: IdentityPolicy | undefined;
  pin: PinPolicy;
  stepUp: StepUpPolicy;
  ehr: EhrPolicy | undefined;
  /** Present only with an `ehr` section: break-glass needs an EHR that issues and enforces grants. */
  breakGlass: BreakGlassPolicy | undefined;
  /** Present only with an `ehr` and a `justInTime` section: nothing is offered unless IT configures it. */
  justInTime: JustInTimePolicy | undefined;
  /** Temporary (locum, agency) staff: sponsors, temporary roles, time box, shift windows. */
  temporaryAccess: TemporaryAccessPolicy;
  kiosk: KioskPolicy;
  hardening: HardeningPolicy;
  health: HealthPolicy;
  /** User preferences IT sets for this workstation: they win over the person's own and are shown locked. */
  preferences: PreferenceOverride;
}

export type PolicyResolution = { ok: true; policy: ResolvedPolicy } | { ok: false; problems: PolicyProblem[] };

/**
 * Resolves what this workstation runs on: machine policy > user preference > built-in default, with the
 * chosen profile's sections replacing the file's global ones. Fails closed with every wrong key named.
 */
export function resolveCareShellPolicy(file: CareShellPolicyFile | undefined, user?: UserPreference): PolicyResolution {
  const session = resolveSessionPolicy({ ...(file ? { machine: file } : {}), ...(user ? { user } : {}) });
  if (!session.ok) return session;
  const profile = file?.profiles?.[session.policy.profile];
  const section = <
    K extends
      | 'readers'
      | 'audit'
      | 'identity'
      | 'ehr'
      | 'breakGlass'
      | 'justInTime'
      | 'temporaryAccess'
      | 'kiosk'
      | 'hardening'
      | 'health'
      | 'preferences',
  >(
    key: K,
  ) => profile?.[key] ?? file?.[key];
  const identity = section('identity');
  const pin = pinPolicySchema.safeParse({
    ...DEFAULT_PIN_POLICY,
    ...identity?.pin,
    maxAttempts: session.policy.pin.maxAttempts,
  });
  if (!pin.success) return { ok: false, problems: problemsFromZod(pin.error, ['identity', 'pin']) };
  return {
    ok: true,
    policy: {
      session: session.policy,
      lockedKeys: session.lockedKeys,
      readers: section('readers') ?? readerConfigSchema.parse({}),
      audit: section('audit') ?? auditPolicySchema.parse({}),
      identity,
      pin: pin.data,
      stepUp: identity?.stepUp ?? DEFAULT_STEP_UP_POLICY,
      ehr: section('ehr'),
      breakGlass: section('ehr') ? (section('breakGlass') ?? breakGlassPolicySchema.parse({})) : undefined,
      justInTime: section('ehr') ? section('justInTime') : undefined,
      temporaryAccess: section('temporaryAccess') ?? temporaryAccessPolicySchema.parse({}),
      kiosk: section('kiosk') ?? kioskPolicySchema.parse({}),
      hardening: section('hardening') ?? hardeningPolicySchema.parse({}),
      health: section('health') ?? healthPolicySchema.parse({}),
      preferences: section('preferences') ?? {},
    },
  };
}
