import { describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '../../../main/session/engine-state.js';
import { followEhrSignIn } from '../../../main/workstation/ehr-sign-in.js';

function rig(sharedJar: boolean, handover: (userId: string, returnTo: string) => Promise<string>) {
  const listeners = new Set<(event: LifecycleEvent) => void>();
  const loads: { sessionId: string; url: string }[] = [];
  const warnings: string[] = [];
  const stop = followEhrSignIn({
    session: { onLifecycle: (l) => (listeners.add(l), () => listeners.delete(l)) },
    ehrUrl: 'https://ehr.hospital.example/app/',
    handover,
    returnPath: (sessionId) => (sessionId === 's-bg' ? '/patients/p-1005' : '/'),
    load: (sessionId, url) => loads.push({ sessionId, url }),
    sharedJar,
    log: { warn: (m) => warnings.push(m) },
  });
  const emit = async (kind: LifecycleEvent['kind'], sessionId: string) => {
    for (const l of listeners) l({ kind, sessionId, userId: `u-${sessionId}` });
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
  };
  return { loads, warnings, emit, stop };
}

const handover = async (userId: string, returnTo: string) =>
  `https://ehr.hospital.example/sso/handover/${userId}?to=${returnTo}`;

describe('followEhrSignIn: each session is signed in to the EHR by hand-over', () => {
  it('Electron (a jar per session): once per session, again only after it ended', async () => {
    const { loads, emit } = rig(false, handover);
    await emit('shown', 's1');
    await emit('hidden', 's1');
    await emit('shown', 's1');
    expect(loads).toEqual([{ sessionId: 's1', url: 'https://ehr.hospital.example/sso/handover/u-s1?to=/' }]);
    await emit('terminated', 's1');
    await emit('shown', 's1');
    expect(loads).toHaveLength(2);
  });

  it('the harness (one shared jar): on every show, back to the chart a break-glass grant opened', async () => {
    const { loads, emit } = rig(true, handover);
    await emit('shown', 's-bg');
    await emit('shown', 's2');
    await emit('shown', 's-bg');
    expect(loads.map((l) => l.url)).toEqual([
      'https://ehr.hospital.example/sso/handover/u-s-bg?to=/patients/p-1005',
      'https://ehr.hospital.example/sso/handover/u-s2?to=/',
      'https://ehr.hospital.example/sso/handover/u-s-bg?to=/patients/p-1005',
    ]);
  });

  it('without a hand-over (no token, EHR down) opens the EHR, which signs in by itself, and says why', async () => {
    const { loads, warnings, emit } = rig(false, async () => Promise.reject(new Error('EHR unreachable')));
    await emit('shown', 's1');
    expect(loads).toEqual([{ sessionId: 's1', url: 'https://ehr.hospital.example/app/' }]);
    expect(warnings[0]).toContain('EHR unreachable');
  });
});
