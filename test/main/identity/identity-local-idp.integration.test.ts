import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../common/clock.js';
import { messageOf } from '../../../common/errors.js';
import { systemRandom } from '../../../common/random.js';
import { MemoryAuditSink } from '../../../main/audit/memory-audit-sink.js';
import { createBadgeHasher } from '../../../main/identity/badge-hasher.js';
import { createIdentity, type Identity } from '../../../main/identity/create-identity.js';
import { createAesGcmSealer } from '../../../main/identity/crypto/sealer.js';
import { FileKeyValueStore } from '../../../main/identity/storage/file-key-value-store.js';
import { startLocalIdp, type LocalIdp } from '../../../tools/local-idp/local-idp.js';
import { chromiumMissingReason, launchChromium } from '../../support/chromium.js';
import { browserSignIn, type BrowserSignInOptions } from '../../support/browser-sign-in.js';
import { TEST_ARGON2, isListening, redirectPortOf } from './identity-fixtures.js';

const skipReason = chromiumMissingReason();
if (skipReason)
  console.warn(
    `Skipping identity integration tests: ${skipReason}. The flows are covered by unit tests with a scripted broker.`,
  );

const hashBadge = createBadgeHasher(new Uint8Array(32).fill(3));
const NURSE_BADGE = hashBadge('H10301:12:4711');
const ER_BADGE = hashBadge('H10301:12:4712');
const BILLING_BADGE = hashBadge('H10301:12:4713');

describe.skipIf(skipReason !== undefined)('identity against the local OpenID provider (msal-node + Chromium)', () => {
  let idp: LocalIdp;
  let browser: Browser;
  let dir: string;
  let identity: Identity;
  const sink = new MemoryAuditSink();
  let signInAs: BrowserSignInOptions = { username: 'ana.nurse', password: 'demo-nurse' };
  const browserUse: string[] = [];
  const redirectPorts: number[] = [];

  beforeAll(async () => {
    [idp, browser, dir] = await Promise.all([
      // 60 s access tokens are inside msal's 5-minute renewal margin, so every silent call refreshes at the provider.
      startLocalIdp({ accessTokenTtlSeconds: 60 }),
      launchChromium(),
      mkdtemp(join(tmpdir(), 'careshell-identity-')),
    ]);
    const signIn = browserSignIn(browser, () => signInAs);
    identity = createIdentity({
      msal: idp.msal,
      extraCaPems: [idp.caPem],
      store: new FileKeyValueStore(dir),
      sealer: createAesGcmSealer(new Uint8Array(32).fill(5), systemRandom),
      auditSink: sink,
      workstation: 'ws-int',
      clock: systemClock,
      random: systemRandom,
      openBrowser: async (url, page) => {
        browserUse.push(signInAs.username);
        redirectPorts.push(redirectPortOf(url));
        await signIn(url, page);
      },
      argon2: TEST_ARGON2,
    });
  });

  afterAll(async () => {
    await browser?.close();
    await idp?.stop().catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('enrolls an unknown badge through a real interactive sign-in, with roles from the ID token', async () => {
    const pending = await identity.enrollment.beginEnrollment(NURSE_BADGE);
    expect(pending.user).toMatchObject({
      userId: 'u-nurse-ana',
      displayName: 'Ana Lopez, RN',
      roles: ['nurse', 'clinical'],
    });
    await expect(identity.enrollment.completeEnrollment(pending.id, '1111')).rejects.toMatchObject({
      code: 'pin-rejected',
    });
    await identity.enrollment.completeEnrollment(pending.id, '482913');
    expect(await identity.directory.resolveBadge(NURSE_BADGE)).toEqual({
      userId: 'u-nurse-ana',
      displayName: 'Ana Lopez, RN',
      roles: ['nurse', 'clinical'],
    });
    expect(sink.events.map((e) => e.type)).toContain('enrollment.enrolled');
    // Nothing on disk holds the token in clear.
    const files = await readdir(join(dir, 'token-cache'));
    const cacheText = (await readFile(join(dir, 'token-cache', files[0]!))).toString('latin1');
    expect(cacheText).not.toContain('refresh_token');
    expect(cacheText).not.toContain('u-nurse-ana');
  });

  it('gets tokens silently on unlock by refreshing at the provider, without the browser', async () => {
    const before = browserUse.length;
    const first = await identity.authenticator.tokensForUnlock('u-nurse-ana');
    const second = await identity.authenticator.tokensForUnlock('u-nurse-ana');
    expect(first.ok && second.ok).toBe(true);
    if (first.ok && second.ok) {
      expect(first.identity.fromCache).toBe(false);
      expect(second.identity.accessToken).not.toBe(first.identity.accessToken);
      expect(second.identity.roles).toEqual(['nurse', 'clinical']);
    }
    expect(browserUse.length).toBe(before);
  });

  it('falls back to a full sign-in when the refresh token is revoked at the provider', async () => {
    expect(idp.revokeRefreshTokens('u-nurse-ana')).toBeGreaterThan(0);
    const silent = await identity.authenticator.tokensForUnlock('u-nurse-ana');
    expect(silent).toMatchObject({ ok: false, reason: 'interaction-required', grantRefused: true });
    const full = await identity.authenticator.fullSignIn('u-nurse-ana');
    expect(full.ok).toBe(true);
    expect((await identity.authenticator.tokensForUnlock('u-nurse-ana')).ok).toBe(true);
  });

  it('refuses a full sign-in as someone else for an existing session', async () => {
    signInAs = { username: 'cara.billing', password: 'demo-billing' };
    const wrong = await identity.authenticator.fullSignIn('u-nurse-ana');
    expect(wrong).toMatchObject({ ok: false, reason: 'failed' });
    expect(!wrong.ok && wrong.message).toMatch(/signed in as Cara Singh/);
    // Cara is not enrolled here: her tokens are not kept; the nurse's saved sign-in is the only one.
    expect(await readdir(join(dir, 'token-cache'))).toHaveLength(1);
    expect((await identity.authenticator.tokensForUnlock('u-billing-cara')).ok).toBe(false);
    // And a badge already bound to the nurse cannot be taken over.
    await expect(identity.enrollment.beginEnrollment(NURSE_BADGE)).rejects.toMatchObject({
      code: 'badge-bound-to-other-account',
    });
    signInAs = { username: 'ana.nurse', password: 'demo-nurse' };
  });

  it('a sign-in window closed at the login form ends the enrollment at once, saving nothing and leaving nothing listening', async () => {
    signInAs = { username: 'ben.er', password: 'demo-er', abandon: true };
    const error = await identity.enrollment.beginEnrollment(ER_BADGE).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'sign-in-failed',
      message: 'The sign-in window was closed before sign-in finished; tap your badge to try again.',
    });
    expect(await identity.directory.resolveBadge(ER_BADGE)).toBeUndefined();
    expect(await readdir(join(dir, 'token-cache'))).toHaveLength(1);
    expect(await isListening(redirectPorts.at(-1)!)).toBe(false);
    signInAs = { username: 'ana.nurse', password: 'demo-nurse' };
  });

  it('step-up: a fresh provider sign-in allows break-glass for a clinical role and refuses a billing clerk', async () => {
    signInAs = { username: 'ben.er', password: 'demo-er' };
    const er = await identity.enrollment.beginEnrollment(ER_BADGE);
    await identity.enrollment.completeEnrollment(er.id, '592817');
    const allowed = await identity.stepUp.stepUp('u-er-ben', 'break-glass', { method: 'idp' });
    expect(allowed).toMatchObject({ ok: true, method: 'idp', roles: ['er-physician', 'physician', 'clinical'] });

    signInAs = { username: 'cara.billing', password: 'demo-billing' };
    const clerk = await identity.enrollment.beginEnrollment(BILLING_BADGE);
    await identity.enrollment.completeEnrollment(clerk.id, '730561');
    const refused = await identity.stepUp.stepUp('u-billing-cara', 'break-glass', { method: 'idp' });
    expect(refused).toMatchObject({ ok: false, reason: 'role-not-allowed' });
    // Outcomes only: the session engine records each step-up with its session (test/main/session).
    expect(sink.events.filter((e) => e.type === 'session.step_up')).toEqual([]);
    signInAs = { username: 'ana.nurse', password: 'demo-nurse' };
  });

  it('discards and audits a tampered token cache, then asks for a full sign-in', async () => {
    const files = await readdir(join(dir, 'token-cache'));
    const account = await identity.directory.account('u-nurse-ana');
    expect(account).toBeDefined();
    for (const file of files) {
      const path = join(dir, 'token-cache', file);
      const bytes = await readFile(path);
      bytes[bytes.length - 5]! ^= 0x01;
      await writeFile(path, bytes);
    }
    const silent = await identity.authenticator.tokensForUnlock('u-nurse-ana');
    expect(silent).toMatchObject({ ok: false, reason: 'interaction-required' });
    expect(silent).not.toHaveProperty('grantRefused');
    const discarded = sink.events.filter((e) => e.type === 'identity.token_cache_discarded');
    expect(discarded).toHaveLength(1);
    expect(discarded[0]).toMatchObject({ outcome: 'failure', actor: { userId: 'u-nurse-ana' } });
    expect(discarded[0]!.reason).toMatch(/altered/);
    expect((await identity.authenticator.fullSignIn('u-nurse-ana')).ok).toBe(true);
  });

  it('with the provider down, badge + PIN still resume inside grace, and a new sign-in fails clearly', async () => {
    await idp.stop();
    // Resume inside grace needs only the directory and the PIN: no provider round trip.
    expect(await identity.directory.resolveBadge(NURSE_BADGE)).toMatchObject({ userId: 'u-nurse-ana' });
    expect(await identity.pins.verify('u-nurse-ana', '482913')).toEqual({ ok: true });
    const silent = await identity.authenticator.tokensForUnlock('u-nurse-ana');
    expect(silent).toMatchObject({ ok: false, reason: 'unavailable' });
    expect(!silent.ok && silent.message).toMatch(/cannot be reached/);

    const before = browserUse.length;
    const error = await identity.enrollment.beginEnrollment(hashBadge('H10301:12:9999')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'sign-in-unavailable' });
    expect(messageOf(error)).toMatch(/identity provider cannot be reached/);
    // msal resolves the provider before opening the browser, so nobody is sent to a dead sign-in page.
    expect(browserUse.length).toBe(before);
  });
});
