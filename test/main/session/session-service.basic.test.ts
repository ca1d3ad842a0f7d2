import { describe, expect, it } from 'vitest';
import { makeRig } from './session-test-kit.js';
import { noticeEnglish } from '../../support/notice-text.js';

const MIN = 60_000;

describe('session service: basic flow', () => {
  it('tap -> active -> idle warning -> locked with grace -> same badge resumes the same session', async () => {
    const rig = makeRig({ policy: { idleTimeoutSeconds: 300, warningSeconds: 30, graceMinutes: 20 } });
    expect(rig.screen()).toBe('no-user');
    await rig.tap('alice');
    expect(rig.screen()).toBe('active');
    expect(rig.who()).toBe('Alice Nurse');
    const shown = rig.lifecycle.find((e) => e.kind === 'shown')!;

    await rig.advance(270_000 - 1);
    expect(rig.screen()).toBe('active');
    await rig.advance(1);
    expect(rig.screen()).toBe('idle-warning');
    expect(rig.service.view().idleWarningMsLeft).toBe(30_000);

    await rig.advance(30_000);
    const locked = rig.service.view();
    expect(locked.screen).toBe('locked');
    expect(locked.user?.displayName).toBe('Alice Nurse');
    expect(locked.graceMsLeft).toBe(20 * MIN);
    expect(rig.lifecycle.at(-1)).toEqual({ kind: 'hidden', sessionId: shown.sessionId });

    await rig.advance(5 * MIN);
    await rig.tap('alice');
    expect(rig.screen()).toBe('active');
    expect(rig.lifecycle.at(-1)).toEqual({ kind: 'shown', sessionId: shown.sessionId });
    const types = rig.audit.events.map((e) => e.type);
    expect(types).toEqual(['session.sign_in', 'session.idle_warning', 'session.timeout', 'session.unlock']);
  });

  it('an unknown badge gets a clear notice, an audit record, and no state change', async () => {
    const rig = makeRig();
    await rig.tap('unknown');
    const view = rig.service.view();
    expect(view.screen).toBe('no-user');
    expect(view.notice?.level).toBe('error');
    expect(noticeEnglish(view.notice)).toMatch(/not enrolled/);
    expect(rig.audit.events.map((e) => e.type)).toEqual(['badge.unknown']);
    expect(JSON.stringify(rig.audit.events)).not.toContain('9999');
  });

  it('refuses malformed input with a message that names the field, changing nothing', async () => {
    const rig = makeRig();
    await expect(rig.service.handle({ type: 'badge-tap', badgeId: '', readerId: 'r' })).rejects.toThrow(/badgeId/);
    await expect(rig.service.handle({ type: 'warp' } as never)).rejects.toThrow(/Refused a session input/);
    expect(rig.screen()).toBe('no-user');
    expect(rig.audit.events).toHaveLength(0);
  });
});
