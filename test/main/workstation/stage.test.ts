import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../../preload/contract.js';
import { stageOf } from '../../../main/workstation/stage.js';

const active: SessionView = {
  screen: 'active',
  workstation: 'COW-3F-12',
  profile: 'default',
  suspendedCount: 0,
  user: { displayName: 'Ana Example, RN', roles: ['nurse'] },
};

describe('stageOf', () => {
  it('shows the EHR view only on the active screens', () => {
    expect(stageOf(active, 's1', false)).toEqual({ locked: false, ehrSessionId: 's1', overlay: 'none' });
    for (const screen of ['no-user', 'locked', 'policy-error'] as const) {
      expect(stageOf({ ...active, screen }, 's1', false)).toEqual({ locked: true, overlay: 'none' });
    }
  });

  it('makes every question to the clinician a modal above the EHR view', () => {
    const modal = { locked: false, ehrSessionId: 's1', overlay: 'modal' };
    expect(stageOf({ ...active, screen: 'idle-warning', idleWarningMsLeft: 30_000 }, 's1', false)).toEqual(modal);
    expect(stageOf({ ...active, stepUp: { action: 'export', methods: ['idp'] } }, 's1', false)).toEqual(modal);
    expect(stageOf({ ...active, pinPrompt: { canReset: true } }, 's1', false)).toEqual(modal);
    expect(stageOf({ ...active, enrollment: { purpose: 'pin-reset', step: 'sign-in' } }, 's1', false)).toEqual(modal);
    expect(stageOf(active, 's1', true)).toEqual(modal); // the authenticator app setup offer
  });

  it('draws a notice as a banner, and a modal wins over a banner', () => {
    const notice = { level: 'info', id: 'cancelled' } as const;
    expect(stageOf({ ...active, notice }, 's1', false)).toEqual({
      locked: false,
      ehrSessionId: 's1',
      overlay: 'banner',
    });
    expect(stageOf({ ...active, notice }, 's1', true).overlay).toBe('modal');
  });

  it('makes the break-glass dialog a modal and its countdown a banner that outlasts notices; locked hides both', () => {
    const dialog = { dialog: true, banner: false };
    const countdown = { dialog: false, banner: true };
    expect(stageOf(active, 's1', false, dialog).overlay).toBe('modal');
    expect(stageOf(active, 's1', false, countdown)).toEqual({ locked: false, ehrSessionId: 's1', overlay: 'banner' });
    expect(
      stageOf({ ...active, stepUp: { action: 'break-glass', methods: ['idp'] } }, 's1', false, countdown).overlay,
    ).toBe('modal');
    expect(stageOf({ ...active, screen: 'locked' }, 's1', false, countdown)).toEqual({ locked: true, overlay: 'none' });
  });

  it('has no EHR view to show before the session is shown', () => {
    expect(stageOf(active, undefined, false)).toEqual({ locked: false, overlay: 'none' });
  });
});
