import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BUILTIN_PROFILES } from '../../../main/policy/builtin-profiles.js';
import { basePolicyRootSchema, buildPolicyRootSchema } from '../../../main/policy/policy-root.js';
import { problemsFromZod } from '../../../main/policy/policy-problem.js';
import { resolveSessionPolicy } from '../../../main/policy/resolve-policy.js';
import { SESSION_DEFAULTS, sessionSettingsSchema } from '../../../main/policy/session-settings.js';

describe('session policy resolution', () => {
  it('uses the documented defaults when nothing is configured', () => {
    const r = resolveSessionPolicy({});
    expect(r).toEqual({ ok: true, policy: { ...SESSION_DEFAULTS, profile: 'default' }, lockedKeys: [] });
    expect(sessionSettingsSchema.safeParse(SESSION_DEFAULTS).success).toBe(true);
  });

  it('every built-in profile resolves to a valid policy', () => {
    for (const profile of Object.keys(BUILTIN_PROFILES)) {
      const r = resolveSessionPolicy({ fallbackProfile: profile });
      expect(r.ok, profile).toBe(true);
    }
    const er = resolveSessionPolicy({ fallbackProfile: 'er-kiosk' });
    const cow = resolveSessionPolicy({ fallbackProfile: 'nurse-cow' });
    if (!er.ok || !cow.ok) throw new Error('profiles must resolve');
    expect(er.policy.idleTimeoutSeconds).toBeLessThan(cow.policy.idleTimeoutSeconds);
    expect(cow.policy.reverifyInGrace).toBe('badge+pin');
  });

  it('machine policy beats user preference beats profile beats default, and machine keys are locked', () => {
    const machine = basePolicyRootSchema.parse({
      version: 1,
      profile: 'er-kiosk',
      session: { graceMinutes: 10, tapOut: { sameUser: 'ignore' } },
      profiles: { 'er-kiosk': { session: { idleTimeoutSeconds: 90 } } },
    });
    const user = {
      profile: 'nurse-station',
      session: { graceMinutes: 25, warningSeconds: 15, idleTimeoutSeconds: 600 },
    };
    const r = resolveSessionPolicy({ machine, user });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.policy.profile).toBe('er-kiosk'); // machine chose the profile
    expect(r.policy.graceMinutes).toBe(10); // machine global beats user
    expect(r.policy.idleTimeoutSeconds).toBe(90); // machine profile beats machine global and user
    expect(r.policy.warningSeconds).toBe(15); // user beats profile and default where machine is silent
    expect(r.policy.tapOut).toEqual({ sameUser: 'ignore', ignoreWithinSeconds: 3, otherUser: 'switch' });
    expect(r.lockedKeys).toEqual(['graceMinutes', 'idleTimeoutSeconds', 'tapOut.sameUser']);
  });

  it('names the exact key when a combination is invalid', () => {
    const machine = basePolicyRootSchema.parse({ version: 1, session: { idleTimeoutSeconds: 60, warningSeconds: 60 } });
    const r = resolveSessionPolicy({ machine });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0]!.path).toBe('session (resolved for profile default).warningSeconds');
    expect(r.problems[0]!.message).toMatch(/shorter than idleTimeoutSeconds/);
  });

  it('rejects an unknown profile and lists the known ones', () => {
    const r = resolveSessionPolicy({ fallbackProfile: 'icu-pod' });
    expect(r).toMatchObject({ ok: false, problems: [{ path: 'profile' }] });
    if (!r.ok) expect(r.problems[0]!.message).toContain('er-kiosk');
  });
});

describe('policy root schema', () => {
  it('reports typos and bad values with their key path', () => {
    const bad = basePolicyRootSchema.safeParse({
      version: 1,
      session: { idleTimeoutSecs: 60 },
      profiles: { 'er-kiosk': { session: { graceMinutes: -1, tapOut: { sameUser: 'logout' } } } },
    });
    expect(bad.success).toBe(false);
    if (bad.success) return;
    const problems = problemsFromZod(bad.error);
    const paths = problems.map((p) => p.path);
    expect(paths).toContain('session');
    expect(problems.find((p) => p.path === 'session')!.message).toContain('idleTimeoutSecs');
    expect(paths).toContain('profiles.er-kiosk.session.graceMinutes');
    expect(paths).toContain('profiles.er-kiosk.session.tapOut.sameUser');
  });

  it('lets other areas plug in their sections, at the root and per profile', () => {
    const readers = z.strictObject({ wedgeTimeoutMs: z.number().int().positive().optional() });
    const schema = buildPolicyRootSchema({ readers });
    expect(
      schema.parse({ version: 1, readers: { wedgeTimeoutMs: 40 }, profiles: { x: { readers: {} } } }),
    ).toMatchObject({
      readers: { wedgeTimeoutMs: 40 },
    });
    const bad = schema.safeParse({ version: 1, profiles: { x: { readers: { wedgeTimeoutMs: -3 } } } });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(problemsFromZod(bad.error)[0]!.path).toBe('profiles.x.readers.wedgeTimeoutMs');
    expect(() => buildPolicyRootSchema({ session: readers })).toThrow(/reserved/);
    expect(basePolicyRootSchema.safeParse({ version: 1, readers: {} }).success).toBe(false);
  });

  it('refuses a policy written for another format version', () => {
    const bad = basePolicyRootSchema.safeParse({ version: 2 });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(problemsFromZod(bad.error)[0]).toMatchObject({ path: 'version' });
  });
});
