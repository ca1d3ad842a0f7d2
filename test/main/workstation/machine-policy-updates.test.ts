import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/manual-clock.js';
import { createCareShell } from '../../../main/app/create-careshell.js';
import { followMachinePolicy, type MachinePolicyUpdates } from '../../../main/workstation/machine-policy-updates.js';
import { readWorkstationPolicy } from '../../../main/workstation/workstation-policy.js';
import { readEvents } from '../../../main/audit/journal/journal-reader.js';
import { jsonFilePolicySource } from '../../../main/policy/json-file-policy-source.js';
import { SimulatedReader } from '../../../native/simulated-reader.js';
import { useTeardown } from '../audit/support/lifecycle.js';
import { until } from '../audit/support/poll.js';
import { openSimulatedWorkstation, UNREACHED_IDENTITY } from './support/simulated-workstation.js';
import { noticeEnglish } from '../../support/notice-text.js';

const teardown = useTeardown();
const NURSE = { userId: 'nurse-1', displayName: 'Ana Example, RN', username: 'ana', roles: ['nurse'] };
const BADGE = 'H10301:100:1001';
const identity = UNREACHED_IDENTITY;

/** A running workstation that follows a machine policy file in a temporary folder, as the shell does with /etc/careshell. */
async function workstationFollowing(file: Record<string, unknown>) {
  const dir = await mkdtemp(path.join(tmpdir(), 'careshell-follow-'));
  teardown(() => rm(dir, { recursive: true, force: true }));
  const policyPath = path.join(dir, 'policy.json');
  const reader = new SimulatedReader('test-reader');
  const base = { version: 1, readers: { readers: [{ driver: 'simulated', id: reader.id }] }, identity };
  // Replaced in one step, as configuration management does: a write in place can be read half done (which locks, fail-closed).
  // runWorkstation's watcher calls apply() after each change; here the test does, right after writing.
  const following: { updates?: MachinePolicyUpdates } = {};
  const write = async (extra: Record<string, unknown>) => {
    await writeFile(`${policyPath}.new`, JSON.stringify({ ...base, ...extra }));
    await rename(`${policyPath}.new`, policyPath);
    await following.updates?.apply();
  };
  await write(file);
  const load = () =>
    readWorkstationPolicy(
      jsonFilePolicySource({ path: policyPath, trust: { platform: 'posix', trustedOwnerUids: [process.getuid!()] } }),
    );
  const first = await load();
  if (first.kind !== 'ok') throw new Error(JSON.stringify(first));
  const clock = new ManualClock();
  const workstation = await openSimulatedWorkstation({
    policy: first.policy,
    dataDir: path.join(dir, 'data'),
    reader,
    clock,
  });
  teardown(() => workstation.close());
  await workstation.identity.directory.bind(workstation.hashBadge(BADGE), NURSE);
  const careshell = createCareShell(workstation.env);
  await careshell.start();
  teardown(() => careshell.stop());
  following.updates = await followMachinePolicy({
    policyPath,
    load,
    current: first.policy,
    session: careshell.session,
    identity: workstation.identity,
    audit: workstation.journal,
    clock,
    workstation: 'COW-3F-12',
    log: { info: () => undefined, warn: () => undefined },
  });
  const read = async () =>
    (await readEvents(workstation.journal.directory, undefined, { maxEvents: 1000 })).events.map((e) => e.event);
  /** The journal once it holds every type named: a lock is shown at once and audited right after, so reading it at the same moment can be early. */
  const journal = async (...types: string[]) => {
    for (let round = 0; round < 500; round++) {
      const events = await read();
      if (types.every((type) => events.some((e) => e.type === type))) return events;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`the journal never recorded ${types.join(', ')}`);
  };
  const remove = async () => {
    await rm(policyPath);
    await following.updates?.apply();
  };
  return { reader, clock, careshell, workstation, write, remove, journal };
}

describe('a running workstation follows its machine policy file', () => {
  it('applies new session rules at once, fails closed on a bad file, and recovers when IT fixes it', async () => {
    const ws = await workstationFollowing({});
    ws.reader.tap(BADGE);
    await until(() => ws.careshell.session.view().screen === 'active', ws.clock, 'the nurse signed in');
    await ws.write({ profile: 'er-kiosk' });
    await until(() => ws.careshell.session.view().profile === 'er-kiosk', ws.clock, 'the er-kiosk profile applied');
    expect(ws.careshell.session.view().screen).toBe('active'); // the nurse's session goes on under the new rules

    await ws.write({ profile: 'er-kiosk', session: { graceMinutes: 9999 } });
    await until(
      () => ws.careshell.session.view().screen === 'policy-error',
      ws.clock,
      'the workstation to lock on the bad file',
    );
    expect(noticeEnglish(ws.careshell.session.view().notice)).toContain('session.graceMinutes');
    expect((await ws.journal('policy.invalid')).find((e) => e.type === 'policy.invalid')?.reason).toMatch(
      /session\.graceMinutes/,
    );

    await ws.write({ profile: 'er-kiosk' });
    await until(() => ws.careshell.session.view().screen === 'locked', ws.clock, 'the corrected policy to apply');
    expect(ws.careshell.session.view().user?.displayName).toBe(NURSE.displayName); // her session was kept
  });

  it('locks on a deleted policy file, keeps the last valid policy (never the defaults), and comes back when it is restored', async () => {
    const ws = await workstationFollowing({ profile: 'er-kiosk' });
    ws.reader.tap(BADGE);
    await until(() => ws.careshell.session.view().screen === 'active', ws.clock, 'the nurse signed in');
    await ws.remove();
    const view = ws.careshell.session.view();
    expect(view.screen).toBe('policy-error');
    expect(view.profile).toBe('er-kiosk'); // the built-in defaults would say 'default'
    expect(noticeEnglish(view.notice)).toMatch(/policy\.json was removed .* last valid policy is kept/);
    expect((await ws.journal('policy.invalid')).find((e) => e.type === 'policy.invalid')?.reason).toMatch(
      /policy\.json was removed/,
    );

    await ws.write({ profile: 'er-kiosk' });
    expect(ws.careshell.session.view()).toMatchObject({ screen: 'locked', profile: 'er-kiosk' });
    expect(ws.careshell.session.view().user?.displayName).toBe(NURSE.displayName); // her session was kept
  });

  it('unenrolls an account IT revokes and ends its session, and says which changes wait for a restart', async () => {
    const ws = await workstationFollowing({});
    ws.reader.tap(BADGE);
    await until(() => ws.careshell.session.view().screen === 'active', ws.clock, 'the nurse signed in');
    await ws.write({
      identity: { ...identity, revoked: [{ userId: NURSE.userId, reason: 'badge reported stolen' }] },
      readers: { readers: [{ driver: 'simulated', id: 'test-reader' }], debounceMs: 2000 },
    });
    await until(() => ws.careshell.session.view().screen === 'no-user', ws.clock, 'the revoked session to end');
    expect(await ws.workstation.identity.directory.account(NURSE.userId)).toBeUndefined();
    const events = await ws.journal('enrollment.unenrolled', 'session.terminated', 'policy.change');
    expect(events.find((e) => e.type === 'enrollment.unenrolled')).toMatchObject({
      outcome: 'success',
      actor: { userId: 'machine-policy' },
      details: { subjectUserId: NURSE.userId },
    });
    expect(events.find((e) => e.type === 'session.terminated')?.reason).toMatch(
      /revoked by administrator: machine policy: badge reported stolen/,
    );
    expect(events.find((e) => e.type === 'policy.change' && e.details?.restartRequired)).toMatchObject({
      reason: 'changes to readers apply when CareShell next starts',
    });
    // The badge is unknown now (enrolling it again is refused after sign-in: see enrollment-service.test.ts).
    ws.clock.advance(2_000); // past the reader's debounce of the first tap
    ws.reader.tap(BADGE);
    await until(
      () => /enroll this badge/.test(noticeEnglish(ws.careshell.session.view().notice) ?? ''),
      ws.clock,
      'the badge to be unknown',
    );
  });
});
