import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/manual-clock.js';
import { authenticatorSetup } from '../../../main/app/authenticator-setup.js';
import { MemoryAuditSink } from '../../../main/audit/memory-audit-sink.js';
import { createAesGcmSealer } from '../../../main/identity/crypto/sealer.js';
import { IdentityAudit } from '../../../main/identity/identity-audit.js';
import { TotpAuthenticator } from '../../../main/identity/step-up/totp-authenticator.js';
import { MemoryKeyValueStore } from '../../../main/identity/storage/key-value-store.js';
import type { AuthenticatorSetup } from '../../../preload/contract.js';
import type { LifecycleEvent, StepUpOutcome } from '../../../main/session/engine-state.js';
import { countingRandom } from '../identity/identity-fixtures.js';
import { flush } from '../session/session-test-kit.js';

function setup() {
  const clock = new ManualClock();
  const totp = new TotpAuthenticator(
    new MemoryKeyValueStore(),
    createAesGcmSealer(new Uint8Array(32).fill(2), countingRandom()),
    clock,
  );
  const sink = new MemoryAuditSink();
  const stepUps = new Set<(o: StepUpOutcome) => void>();
  const lifecycles = new Set<(e: LifecycleEvent) => void>();
  const published: (AuthenticatorSetup | null)[] = [];
  const flow = authenticatorSetup({
    session: {
      onStepUp: (l) => (stepUps.add(l), () => stepUps.delete(l)),
      onLifecycle: (l) => (lifecycles.add(l), () => lifecycles.delete(l)),
    },
    totp,
    accountLabel: async (userId) => `${userId}@hospital.test`,
    audit: new IdentityAudit(sink, clock, 'ws-1'),
    publish: (s) => published.push(s),
    log: { warn: () => {} },
  });
  const stepUp = async (o: Partial<StepUpOutcome> = {}) => {
    for (const l of stepUps) l({ action: 'authenticator-setup', userId: 'u-ana', sessionId: 's-1', ok: true, ...o });
    await flush();
  };
  const lifecycle = (e: LifecycleEvent) => lifecycles.forEach((l) => l(e));
  const code = (secret: string) => generate({ secret, epoch: Math.floor(clock.wallTime().getTime() / 1000) });
  return { clock, totp, sink, flow, published, stepUp, lifecycle, code };
}

describe('authenticator app setup after a fresh sign-in', () => {
  it('offers a secret only after a successful authenticator-setup step-up, and the first valid code makes it the factor', async () => {
    const { flow, published, stepUp, code, totp, sink } = setup();
    await stepUp({ ok: false });
    await stepUp({ action: 'export' });
    expect(published).toEqual([]);
    await stepUp();
    const offer = published[0]!;
    expect(offer).toMatchObject({
      issuer: 'CareShell',
      account: 'u-ana@hospital.test',
      uri: expect.stringMatching(/^otpauth:\/\/totp\/CareShell:/),
    });
    expect(await flow.confirm('000000')).toEqual({ ok: false, message: expect.stringMatching(/not right/) });
    expect(await totp.isEnrolled('u-ana')).toBe(false);
    expect(await flow.confirm(await code(offer.secret))).toEqual({ ok: true });
    expect(await totp.isEnrolled('u-ana')).toBe(true);
    expect(published.at(-1)).toBeNull();
    expect(sink.events.map((e) => [e.type, e.actor?.userId])).toEqual([['enrollment.authenticator', 'u-ana']]);
    expect(await flow.confirm(await code(offer.secret))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/No authenticator app setup is in progress/),
    });
  });

  it('is dropped when its session leaves the screen, or on cancel', async () => {
    const { flow, published, stepUp, lifecycle, totp } = setup();
    await stepUp();
    lifecycle({ kind: 'shown', sessionId: 's-1', userId: 'u-ana' });
    lifecycle({ kind: 'hidden', sessionId: 's-2', userId: 'u-ben' });
    expect(published.at(-1)).not.toBeNull();
    lifecycle({ kind: 'hidden', sessionId: 's-1', userId: 'u-ana' });
    expect(published.at(-1)).toBeNull();
    expect((await flow.confirm('123456')).ok).toBe(false);
    await stepUp();
    flow.cancel();
    expect(published.at(-1)).toBeNull();
    expect(await totp.isEnrolled('u-ana')).toBe(false);
  });
});
