import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readEvents } from '../../../main/audit/journal/journal-reader.js';
import { flush } from '../session/session-test-kit.js';
import { startTestDemo, type TestDemo } from '../../support/test-demo.js';
import { noticeEnglish } from '../../support/notice-text.js';

/**
 * The identity layer wired into the session engine through the shared composition (openWorkstation +
 * createCareShell), against the real local provider, with no browser: the provider going away, and the
 * contract's enrollment channels.
 */
describe('identity through the workstation composition', () => {
  let demo: TestDemo | undefined;
  afterEach(async () => {
    await demo?.stop();
    demo = undefined;
  });

  it('provider down: a user inside grace resumes with badge + PIN, while a new sign-in shows a clear error', async () => {
    demo = await startTestDemo({ profile: 'nurse-cow' });
    const nurse = demo.user('nurse');
    const session = demo.careshell.session;
    await session.handle({ type: 'badge-tap', badgeId: nurse.badgeId, readerId: 'demo-reader' });
    expect(session.view()).toMatchObject({ screen: 'active', user: { displayName: nurse.displayName } });
    await session.handle({ type: 'lock-now' });

    await demo.idp.stop();
    await session.handle({ type: 'badge-tap', badgeId: nurse.badgeId, readerId: 'demo-reader' });
    expect(session.view().pinPrompt).toBeDefined();
    await session.handle({ type: 'pin', pin: nurse.pin });
    await flush();
    expect(session.view()).toMatchObject({ screen: 'active', user: { displayName: nurse.displayName } });
    expect(session.view().notice).toBeUndefined();

    await session.handle({ type: 'lock-now' });
    await session.handle({ type: 'badge-tap', badgeId: demo.unenrolledBadgeId, readerId: 'demo-reader' });
    const view = session.view();
    expect(view.screen).toBe('locked');
    expect(view.enrollment).toBeUndefined();
    expect(view.notice?.level).toBe('error');
    expect(noticeEnglish(view.notice)).toMatch(
      /^Enrollment did not complete: Sign-in failed: the identity provider cannot be reached\. Check the network, then try again\./,
    );
    expect(noticeEnglish(view.notice)).toContain('Nothing was saved');
    expect(
      await demo.workstation.identity.directory.resolveBadge(demo.workstation.hashBadge(demo.unenrolledBadgeId)),
    ).toBeUndefined();

    const { events } = await readEvents(path.join(demo.dataDir, 'audit'), undefined, { maxEvents: 10_000 });
    const audited = events.map((e) => e.event);
    expect(audited.filter((e) => e.type === 'enrollment.enrolled' && e.outcome === 'failure')).toEqual([
      expect.objectContaining({ reason: expect.stringContaining('identity provider cannot be reached') }),
    ]);
    expect(audited.filter((e) => e.type === 'session.unlock' && e.details?.method === 'badge+pin')).toHaveLength(1);
  });

  it('a refresh token revoked at the provider ends the session at the next resume, with a notice and its audit', async () => {
    demo = await startTestDemo({ profile: 'nurse-cow' });
    const nurse = demo.user('nurse');
    const session = demo.careshell.session;
    const ended: { userId: string; revoked?: boolean }[] = [];
    session.onLifecycle((event) => event.kind === 'terminated' && ended.push(event));
    await session.handle({ type: 'badge-tap', badgeId: nurse.badgeId, readerId: 'demo-reader' });
    expect(session.view()).toMatchObject({ screen: 'active' });
    // The sign-in's own background refresh is done (a user's token requests run one at a time).
    await demo.workstation.identity.authenticator.tokensForUnlock(nurse.userId);
    await session.handle({ type: 'lock-now' });
    // IT disables the account at the provider: its refresh tokens (and their grants) are gone.
    expect(demo.idp.revokeRefreshTokens(nurse.userId)).toBeGreaterThan(0);
    await session.handle({ type: 'badge-tap', badgeId: nurse.badgeId, readerId: 'demo-reader' });
    await session.handle({ type: 'pin', pin: nurse.pin });
    // The resume shows the session, then the background refresh at the real provider is refused (invalid_grant).
    await expect.poll(() => session.view().screen, { timeout: 10_000 }).toBe('no-user');
    expect(ended).toEqual([expect.objectContaining({ userId: nurse.userId, revoked: true })]);
    expect(noticeEnglish(session.view().notice)).toMatch(/no longer accepts your sign-in.*session has ended/);
    const audited = await demo.audited();
    expect(audited.filter((e) => e.type === 'session.terminated').at(-1)).toMatchObject({
      actor: { userId: nurse.userId },
      reason: expect.stringMatching(/identity provider refused the sign-in.*invalid_grant/),
    });
  });

  it('the contract cancels an enrollment whose sign-in window is open; a window closed later changes nothing', async () => {
    let closeWindow: ((error: Error) => void) | undefined;
    demo = await startTestDemo({ openSignIn: () => new Promise<void>((_resolve, reject) => (closeWindow = reject)) });
    const { session, contract } = demo.careshell;
    const tapping = session.handle({ type: 'badge-tap', badgeId: demo.unenrolledBadgeId, readerId: 'demo-reader' });
    await expect.poll(() => session.view().enrollment?.step).toBe('sign-in');

    expect(await contract.invoke('session:choose-pin', { pin: '12' })).toEqual({
      ok: false,
      error: 'Rejected session:choose-pin: pin: A PIN is 4 to 12 digits.',
    });
    expect(await contract.invoke('session:cancel-enrollment', undefined)).toEqual({ ok: true, result: { ok: true } });
    expect(session.view().enrollment).toBeUndefined();
    expect(noticeEnglish(session.view().notice)).toBe('Enrollment cancelled. Nothing was saved.');

    await expect.poll(() => closeWindow).toBeDefined(); // msal opens the window once it has the provider's metadata
    closeWindow!(new Error('the sign-in window was closed'));
    await tapping;
    expect(session.view().screen).toBe('no-user');
    expect(noticeEnglish(session.view().notice)).toBe('Enrollment cancelled. Nothing was saved.');
    expect(await contract.invoke('session:choose-pin', { pin: '2580' })).toEqual({ ok: true, result: { ok: false } });
    expect(noticeEnglish(session.view().notice)).toBe('No PIN is being asked for right now: tap your badge first.');
  });
});
