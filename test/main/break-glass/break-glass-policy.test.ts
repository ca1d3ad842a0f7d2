import { describe, expect, it } from 'vitest';
import { careShellPolicySchema, resolveCareShellPolicy } from '../../../main/app/careshell-policy.js';
import { breakGlassPolicySchema, DEFAULT_BREAK_GLASS_POLICY } from '../../../main/break-glass/break-glass-policy.js';

const resolve = (file: Record<string, unknown>) => {
  const parsed = careShellPolicySchema.safeParse({ version: 1, ...file });
  if (!parsed.success) return { ok: false as const, issues: parsed.error.issues.map((i) => i.path.join('.')) };
  return resolveCareShellPolicy(parsed.data);
};

describe('the breakGlass policy section (docs/policy.md#break-glass-breakglass)', () => {
  it('defaults: clinical roles, three coded reasons, 4 h of at most 8 h, one patient, warn at 3, co-sign above 5', () => {
    expect(DEFAULT_BREAK_GLASS_POLICY).toMatchObject({
      allowedRoles: ['clinical'],
      defaultMinutes: 240,
      maxMinutes: 480,
      scopes: ['patient'],
      frequency: { warnAt: 3, cosignAbove: 5, cosignRoles: ['clinical'] },
    });
    expect(DEFAULT_BREAK_GLASS_POLICY.reasons).toHaveLength(3);
  });

  it('refuses time boxes outside 15 min - 8 h, a default above the maximum, and badly coded reasons', () => {
    expect(breakGlassPolicySchema.safeParse({ maxMinutes: 481 }).success).toBe(false);
    expect(breakGlassPolicySchema.safeParse({ defaultMinutes: 10 }).success).toBe(false);
    expect(breakGlassPolicySchema.safeParse({ defaultMinutes: 120, maxMinutes: 60 }).success).toBe(false);
    expect(breakGlassPolicySchema.safeParse({ reasons: [{ code: 'Bad Code', label: 'x' }] }).success).toBe(false);
    expect(breakGlassPolicySchema.safeParse({ scopes: [] }).success).toBe(false);
  });

  it('applies only with an ehr section; the EHR may be http on loopback only', () => {
    const withoutEhr = resolve({ breakGlass: { maxMinutes: 60, defaultMinutes: 30 } });
    expect(withoutEhr.ok && withoutEhr.policy.breakGlass).toBeUndefined();
    const demo = resolve({ ehr: { url: 'http://127.0.0.1:4100/' } });
    expect(demo.ok && demo.policy.breakGlass?.defaultMinutes).toBe(240);
    expect(resolve({ ehr: { url: 'http://ehr.hospital.example/' } })).toMatchObject({ ok: false, issues: ['ehr.url'] });
    const set = resolve({ ehr: { url: 'https://ehr.hospital.example/' }, breakGlass: { scopes: ['all-restricted'] } });
    expect(set.ok && set.policy.breakGlass?.scopes).toEqual(['all-restricted']);
  });
});
