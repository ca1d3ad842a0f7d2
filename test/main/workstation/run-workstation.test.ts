import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../main/audit/audit-event.js';
import { runWorkstation, type WorkstationRun } from '../../../main/workstation/run-workstation.js';
import { FakeHost, goodPolicy, NURSE, NURSE_BADGE } from './support/fake-host.js';
import { noticeEnglish } from '../../support/notice-text.js';

const cleanUps: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

/** A fake host (policy installed first when given) and runWorkstation on it, stopped after the test. */
async function started(policy?: Record<string, unknown>, prepare?: (host: FakeHost) => Promise<void> | void) {
  const host = await FakeHost.create();
  cleanUps.push(() => host.cleanUp());
  if (policy) await host.writePolicy(policy);
  await prepare?.(host);
  const run = runWorkstation(host, { watchPolicy: host.watchPolicy });
  cleanUps.push(() => run.stop());
  await run.ready;
  return { host, run };
}

/** The running workstation's parts; fails the test when it is locked on a start problem. */
function partsOf(run: WorkstationRun) {
  const parts = run.parts();
  if (!parts) throw new Error(`not running: ${JSON.stringify(run.problem())}`);
  return parts;
}

/** The nurse's badge enrolled, tapped, and her EHR view on screen. */
async function nurseSignedIn(host: FakeHost, run: WorkstationRun): Promise<string> {
  const { workstation } = partsOf(run);
  await workstation.identity.directory.bind(workstation.hashBadge(NURSE_BADGE), NURSE);
  host.reader.tap(NURSE_BADGE);
  await host.until(() => host.stage?.ehrSessionId !== undefined);
  return host.stage!.ehrSessionId!;
}

/**
 * The provider in these policies is never reached, so the silent token request made when a session is shown
 * fails and leaves a notice on the active screen: waiting for it keeps later stages from racing with it.
 */
async function providerNoticeShown(host: FakeHost): Promise<void> {
  await host.until(() => /^Sign-in did not succeed/.test(noticeEnglish(host.view?.notice) ?? ''));
}

/** Waits for the journal to hold a record of `type`: audit records are written just after the screen changes. */
async function journaled(host: FakeHost, type: AuditEvent['type']): Promise<AuditEvent[]> {
  for (let round = 0; round < 400; round++) {
    const events = await host.journal().catch(() => []);
    if (events.some((e) => e.type === type)) return events;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`the journal never recorded ${type}`);
}

describe('runWorkstation: start paths', () => {
  it('without a policy file: a locked "not configured" screen naming the file and docs/policy.md, journaled, no exit', async () => {
    const { host, run } = await started();
    expect(run.problem()).toEqual({ kind: 'not-configured', policyPath: host.policyPath });
    expect(host.calls.slice(0, 2)).toEqual(['serve', 'present locked']);
    expect(host.stages.every((s) => s.locked && s.ehrSessionId === undefined)).toBe(true);
    expect(host.view).toMatchObject({ screen: 'policy-error' });
    expect(noticeEnglish(host.view?.notice)).toContain(`IT must install its machine policy at ${host.policyPath}`);
    expect(noticeEnglish(host.view?.notice)).toContain('docs/policy.md');
    await expect(host.invoke('session:lock-now')).rejects.toThrow(/Refused session:lock-now: the policy-error screen/);
    expect(host.settings).toEqual([]); // nothing from a policy that does not exist
    expect(host.exits).toBe(0);
    const [record] = await host.journal();
    expect(record).toMatchObject({ type: 'policy.invalid', outcome: 'failure' });
    expect(record!.reason).toContain(host.policyPath);
  });

  it('with an invalid policy: every wrong key named on the locked screen and in the journal', async () => {
    const { host, run } = await started({ ...goodPolicy(), session: { graceMinutes: 9999, idleTimeoutSecs: 5 } });
    expect(run.problem()).toMatchObject({ kind: 'invalid-policy', policyPath: host.policyPath });
    const text = noticeEnglish(host.view?.notice) ?? '';
    expect(text).toContain('session.graceMinutes');
    expect(text).toContain('idleTimeoutSecs');
    expect(host.stage).toEqual({ locked: true, overlay: 'none' });
    const [record] = await host.journal();
    expect(record).toMatchObject({ type: 'policy.invalid' });
    expect(record!.reason).toMatch(/graceMinutes[\s\S]*idleTimeoutSecs/);
  });

  it('when the host refuses plaintext key storage: a locked "cannot start" screen saying why; the policy key lets it start', async () => {
    const { host, run } = await started(goodPolicy(), (h) => void (h.keyStore = 'basic_text'));
    expect(run.problem()).toEqual({ kind: 'cannot-start', reason: expect.stringMatching(/basic_text/) });
    expect(noticeEnglish(host.view?.notice)).toMatch(/CareShell cannot start: the key store is basic_text/);
    expect(host.stage?.locked).toBe(true);
    expect(host.logs.some((l) => /start problem is not journaled/.test(l))).toBe(true);

    await host.writePolicy(goodPolicy({ hardening: { allowPlaintextKeyStorage: true } }));
    host.policyChanged();
    await host.until(() => run.parts() !== undefined && host.view?.screen === 'no-user');
    expect(host.calls).toContain('keyProtector allowPlaintext=true');
    expect(host.exits).toBe(0);
  });

  it('when the host throws instead of answering: still a locked "cannot start" screen, never an undecided one', async () => {
    const { host, run } = await started(goodPolicy(), (h) => void (h.keyStore = 'broken'));
    expect(run.problem()).toEqual({ kind: 'cannot-start', reason: 'safeStorage is not available before app ready' });
    expect(host.view?.screen).toBe('policy-error');
    expect(host.stage?.locked).toBe(true);
    expect(host.exits).toBe(0);
  });

  it('when identity cannot open (no identity section): "cannot start", journaled as workstation.start_failed', async () => {
    const { identity: _none, ...withoutIdentity } = goodPolicy();
    const { host, run } = await started(withoutIdentity);
    expect(run.problem()).toMatchObject({
      kind: 'cannot-start',
      reason: expect.stringMatching(/no "identity" section/),
    });
    expect(host.stage?.locked).toBe(true);
    const events = await host.journal();
    expect(events.map((e) => [e.type, e.outcome])).toEqual([['workstation.start_failed', 'failure']]);
    expect(host.exits).toBe(0);
  });

  it('when the journal cannot open: "cannot start" with the reason on screen and in the log', async () => {
    const { host, run } = await started(goodPolicy(), async (h) => {
      // A file where the journal's folder must be: the journal cannot open, so nothing can be journaled either.
      await writeFile(path.join(h.dataDir, '..', 'data'), 'not a folder');
    });
    expect(run.problem()?.kind).toBe('cannot-start');
    expect(host.view?.screen).toBe('policy-error');
    expect(host.logs.some((l) => /could not record the start problem/.test(l))).toBe(true);
    expect(host.exits).toBe(0);
  });

  it('with a good policy: configures navigation from policy, serves the lock screen, and stays locked until a tap', async () => {
    const { host, run } = await started(
      goodPolicy({
        identity: {
          ...(goodPolicy().identity as object),
          allowedOrigins: ['https://adfs.hospital.example'],
        },
      }),
    );
    expect(run.problem()).toBeUndefined();
    expect(host.settings).toEqual([
      {
        ehrUrl: 'https://ehr.example.org/app',
        ehrOrigins: ['https://ehr.example.org', 'https://images.example.org'],
        signInOrigins: ['https://idp.invalid', 'https://adfs.hospital.example'],
      },
    ]);
    // Locked from the first call; the navigation allow-list is in place before anything could be shown.
    expect(host.calls).toEqual(['serve', 'present locked', 'keyProtector allowPlaintext=false', 'configure']);
    expect(host.view?.screen).toBe('no-user');
    expect(host.stage).toEqual({ locked: true, overlay: 'none' });
  });

  it('a corrected policy file brings a never-configured workstation up without exiting', async () => {
    const { host, run } = await started();
    expect(run.problem()?.kind).toBe('not-configured');
    await host.writePolicy(goodPolicy());
    host.policyChanged();
    await host.until(() => host.view?.screen === 'no-user');
    expect(run.problem()).toBeUndefined();
    expect(host.calls.filter((c) => c === 'serve')).toHaveLength(1); // the renderer's transport is bound once
    await nurseSignedIn(host, run);
    expect(host.exits).toBe(0);
  });
});

describe('runWorkstation: the stage follows the session and every overlay', () => {
  it('shows the EHR view of the signed-in session with nothing over it, then a notice as a banner above it', async () => {
    const { host, run } = await started(goodPolicy());
    const sessionId = await nurseSignedIn(host, run);
    expect(host.stage).toEqual({ locked: false, ehrSessionId: sessionId, overlay: 'none' });
    await providerNoticeShown(host);
    expect(host.stage).toEqual({ locked: false, ehrSessionId: sessionId, overlay: 'banner' });
  });

  it('puts the idle-warning countdown over an open EHR view as a modal, and takes it away on activity', async () => {
    const { host, run } = await started(goodPolicy());
    const sessionId = await nurseSignedIn(host, run);
    await providerNoticeShown(host);
    const { idleTimeoutSeconds, warningSeconds } = partsOf(run).policy().session;
    host.clock.advance((idleTimeoutSeconds - warningSeconds) * 1000);
    await host.until(() => host.view?.screen === 'idle-warning');
    expect(host.stage).toEqual({ locked: false, ehrSessionId: sessionId, overlay: 'modal' });
    await host.invoke('session:activity');
    await host.until(() => host.view?.screen === 'active');
    expect(host.stage).toEqual({ locked: false, ehrSessionId: sessionId, overlay: 'none' });
  });

  it('a step-up is a modal over the EHR; its cancellation notice is a banner', async () => {
    const { host, run } = await started(goodPolicy());
    const sessionId = await nurseSignedIn(host, run);
    await providerNoticeShown(host);
    // Resolves only once the sign-in it opens has ended: the test cancels it below.
    const requested = host.invoke('session:request-step-up', { action: 'export' });
    await host.until(() => host.view?.stepUp !== undefined);
    expect(host.stage).toEqual({ locked: false, ehrSessionId: sessionId, overlay: 'modal' });
    await host.invoke('session:cancel-step-up');
    await requested;
    await host.until(() => host.view?.stepUp === undefined);
    expect(noticeEnglish(host.view?.notice)).toBe('Cancelled.');
    expect(host.stage).toEqual({ locked: false, ehrSessionId: sessionId, overlay: 'banner' });
  });

  it("the privacy officer's break-glass review screen is a modal over the EHR view while it is open", async () => {
    const officer = { userId: 'po-1', displayName: 'Dan Weber', username: 'dan', roles: ['privacy-officer'] };
    const badge = 'H10301:100:1009';
    const { host, run } = await started(goodPolicy({ audit: { review: { sourceUrl: 'http://127.0.0.1:9/fhir' } } }));
    const { workstation } = partsOf(run);
    await workstation.identity.directory.bind(workstation.hashBadge(badge), officer);
    host.reader.tap(badge);
    await host.until(() => host.stage?.ehrSessionId !== undefined);
    await providerNoticeShown(host);
    const sessionId = host.stage!.ehrSessionId!;
    expect(await host.invoke('review:set-open', { open: true })).toEqual({ ok: true });
    expect(host.stage).toEqual({ locked: false, ehrSessionId: sessionId, overlay: 'modal' });
    await host.invoke('review:set-open', { open: false });
    expect(host.stage).toEqual({ locked: false, ehrSessionId: sessionId, overlay: 'banner' });
  });

  it('locking takes the EHR view off the screen at once, without ending its session', async () => {
    const { host, run } = await started(goodPolicy());
    await nurseSignedIn(host, run);
    const before = host.stages.length;
    await host.invoke('session:lock-now');
    expect(host.stages.slice(before).every((s) => s.ehrSessionId === undefined)).toBe(true);
    expect(host.stage).toEqual({ locked: true, overlay: 'none' });
    expect(host.terminated).toEqual([]);
  });

  it('signing out hides the EHR view first, then has the host terminate it', async () => {
    const { host, run } = await started(
      goodPolicy({ session: { tapOut: { sameUser: 'sign-out', ignoreWithinSeconds: 0 } } }),
    );
    const sessionId = await nurseSignedIn(host, run);
    host.clock.advance(2_000); // past the reader's debounce
    host.reader.tap(NURSE_BADGE);
    await host.until(() => host.terminated.includes(sessionId));
    const terminatedAt = host.calls.indexOf(`terminate ${sessionId}`);
    expect(host.calls.slice(0, terminatedAt).at(-1)).toBe('present locked');
  });
});

describe('runWorkstation: the policy file changes while running', () => {
  it('a deleted file locks, keeps the last valid policy (never the defaults), journals why; restoring it brings the session back', async () => {
    const { host, run } = await started(goodPolicy({ profile: 'er-kiosk' }));
    await nurseSignedIn(host, run);
    await host.removePolicy();
    host.policyChanged();
    await host.until(() => host.view?.screen === 'policy-error');
    expect(host.stage).toEqual({ locked: true, overlay: 'none' });
    expect(noticeEnglish(host.view?.notice)).toMatch(/was removed or cannot be found; the last valid policy is kept/);
    expect(host.view?.profile).toBe('er-kiosk');
    expect(partsOf(run).policy().session.profile).toBe('er-kiosk');
    const events = await journaled(host, 'policy.invalid');
    expect(events.find((e) => e.type === 'policy.invalid')?.reason).toContain(`${host.policyPath} was removed`);

    await host.writePolicy(goodPolicy({ profile: 'er-kiosk' }));
    host.policyChanged();
    await host.until(() => host.view?.screen === 'locked');
    expect(host.view?.user?.displayName).toBe(NURSE.displayName); // her session was kept through it
    expect(host.exits).toBe(0);
  });

  it('an unreadable file (a folder that others can write) locks the same way', async () => {
    const { host, run } = await started(goodPolicy());
    await nurseSignedIn(host, run);
    const { chmod } = await import('node:fs/promises');
    await chmod(path.dirname(host.policyPath), 0o777);
    host.policyChanged();
    await host.until(() => host.view?.screen === 'policy-error');
    expect(noticeEnglish(host.view?.notice)).toMatch(/writable by group or others/);
    expect(host.stage?.locked).toBe(true);
  });
});

describe('runWorkstation: OS events, quitting and shutdown', () => {
  it.each(['suspend', 'lock-screen', 'resign-active'] as const)('%s locks the workstation at once', async (event) => {
    const { host, run } = await started(goodPolicy());
    await nurseSignedIn(host, run);
    await run.osEvent(event);
    expect(host.view?.screen).toBe('locked');
    expect(host.stage).toEqual({ locked: true, overlay: 'none' });
  });

  it('refuses to quit unless the policy allows it', async () => {
    const { host, run } = await started(goodPolicy());
    expect(run.requestQuit()).toBe(false);
    expect(host.logs.some((l) => /quit refused: .*kiosk\.allowQuit/.test(l))).toBe(true);
    expect(run.parts()).toBeDefined();
    expect(host.exits).toBe(0);
  });

  it('refuses to quit while locked on a start problem', async () => {
    const { host, run } = await started();
    expect(run.requestQuit()).toBe(false);
    expect(host.exits).toBe(0);
  });

  it('quits when kiosk.allowQuit is set: session engine and readers, then forwarders and journal, then exit', async () => {
    const { host, run } = await started(goodPolicy({ kiosk: { allowQuit: true } }));
    await nurseSignedIn(host, run);
    const { workstation } = partsOf(run);
    const atExit: string[] = [];
    host.onExit = () => {
      try {
        host.reader.tap(NURSE_BADGE);
      } catch {
        atExit.push('readers stopped');
      }
      atExit.push(host.stage?.locked ? 'nothing on screen' : 'EHR still on screen');
    };
    expect(run.requestQuit()).toBe(true);
    await host.until(() => host.exits === 1);
    await expect(
      workstation.journal.append({ type: 'policy.change', at: 'x', workstation: 'x', outcome: 'success' }),
    ).rejects.toThrow(/closing or closed/);
    expect(atExit).toEqual(['readers stopped', 'nothing on screen']);
    expect(run.requestQuit()).toBe(true); // already quitting: the host keeps waiting for exit()
    expect(host.exits).toBe(1);
  });

  it('an OS shutdown locks the session, stops in order and exits, whatever the quit policy', async () => {
    const { host, run } = await started(goodPolicy());
    await nurseSignedIn(host, run);
    await run.osEvent('shutdown');
    await host.until(() => host.exits === 1);
    const events = await host.journal();
    expect(events.some((e) => e.type === 'session.lock')).toBe(true);
    expect(run.parts()).toBeUndefined();
  });
});

describe('runWorkstation: "Show the sign-in window"', () => {
  it('is refused on the policy-error screen, and on a lock screen waiting for no sign-in the host is not asked', async () => {
    const broken = await started();
    await expect(broken.host.invoke('session:show-sign-in')).rejects.toThrow(
      /Refused session:show-sign-in: the policy-error screen/,
    );
    const { host } = await started(goodPolicy());
    expect(host.view?.screen).toBe('no-user');
    expect(await host.invoke('session:show-sign-in')).toEqual({
      ok: false,
      message: 'No sign-in is waiting: there is no sign-in window to show.',
    });
    expect(host.calls).not.toContain('showSignIn');
  });
});

describe('runWorkstation: a tap on the policy-error screen', () => {
  const brokenSession = { session: { graceMinutes: 9999 } };

  it('with a valid readers section: "Badge read" at once, nobody signed in; the fixed policy takes the reader over', async () => {
    const { host, run } = await started({ ...goodPolicy(), ...brokenSession });
    expect(run.problem()?.kind).toBe('invalid-policy');
    const read = new Promise<unknown>((resolve) =>
      host.surface!.subscribe((channel, payload) => channel === 'readers:badge-read' && resolve(payload)),
    );
    host.reader.tap(NURSE_BADGE);
    expect(await read).toEqual({ readerId: 'fake-reader' });
    expect(host.view?.screen).toBe('policy-error');
    expect(host.stages.every((stage) => stage.locked)).toBe(true);
    expect((await host.journal()).map((e) => e.type)).toEqual(['policy.invalid']);

    await host.writePolicy(goodPolicy());
    host.policyChanged();
    await host.until(() => run.parts() !== undefined && host.view?.screen === 'no-user');
    await nurseSignedIn(host, run);
  });

  it('with a broken readers section too: no reader runs, as before', async () => {
    const { host, run } = await started({
      ...goodPolicy(),
      ...brokenSession,
      readers: { readers: [{ driver: 'simulated', id: 'fake-reader' }], debounceMs: -1 },
    });
    expect(run.problem()?.kind).toBe('invalid-policy');
    expect(() => host.reader.tap(NURSE_BADGE)).toThrow(/is stopped/);
  });

  it('stops the readers at shutdown', async () => {
    const { host, run } = await started({ ...goodPolicy(), ...brokenSession });
    host.reader.tap(NURSE_BADGE);
    await run.stop();
    expect(() => host.reader.tap(NURSE_BADGE)).toThrow(/is stopped/);
  });
});
