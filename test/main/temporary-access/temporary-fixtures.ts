import { ManualClock } from '../../../common/manual-clock.js';
import { MemoryAuditSink } from '../../../main/audit/memory-audit-sink.js';
import { identityEnrollment } from '../../../main/app/identity-enrollment.js';
import { identityPins } from '../../../main/app/identity-pins.js';
import { AccessRevocations } from '../../../main/identity/access-revocations.js';
import { UserDirectory } from '../../../main/identity/directory/user-directory.js';
import { EnrollmentService } from '../../../main/identity/enrollment/enrollment-service.js';
import { IdentityAudit } from '../../../main/identity/identity-audit.js';
import { PinService } from '../../../main/identity/pin/pin-service.js';
import { MemoryKeyValueStore } from '../../../main/identity/storage/key-value-store.js';
import { createSessionService } from '../../../main/session/session-service.js';
import type { SessionView } from '../../../preload/contract.js';
import { Sponsorship } from '../../../main/temporary-access/sponsorship.js';
import { TemporaryAccess } from '../../../main/temporary-access/temporary-access-service.js';
import { EndedBadges } from '../../../main/temporary-access/ended-badges.js';
import {
  isTemporaryStaff,
  temporaryAccessPolicySchema,
} from '../../../main/temporary-access/temporary-access-policy.js';
import { TEST_ARGON2, countingRandom } from '../identity/identity-fixtures.js';
import { ScriptedTokenBroker } from '../identity/scripted-token-broker.js';
import { FakeAuthenticator, fakeHash, flush, testPolicy } from '../session/session-test-kit.js';

export const LOCUM = { userId: 'u-locum-lee', displayName: 'Dr Lee Park (locum)', roles: ['locum', 'clinical'] };
export const CHARGE = { userId: 'u-charge-chris', displayName: 'Chris Hall, Charge Nurse', roles: ['charge-nurse'] };
export const NURSE = { userId: 'u-nurse-ana', displayName: 'Ana Lopez, RN', roles: ['nurse'] };
export const BADGE = { locum: 'H10301:50:1', charge: 'H10301:50:2', nurse: 'H10301:50:3' };
export const PIN = { locum: '5829', charge: '7391', nurse: '4826' };
export const DAY_MS = 86_400_000;

/**
 * The identity layer's real enrollment, directory, PIN service and sponsorship, with the temporary-access service
 * as the session engine's Admission, behind a real session service: a workstation without a browser or a reader.
 */
export async function temporaryRig(policyInput: Record<string, unknown> = {}) {
  const clock = new ManualClock();
  const sink = new MemoryAuditSink();
  const store = new MemoryKeyValueStore();
  const random = countingRandom();
  const policy = temporaryAccessPolicySchema.parse(policyInput);
  const directory = new UserDirectory(store, () => clock.wallTime());
  const pins = new PinService({ store, clock, random, argon2: TEST_ARGON2 });
  const tokens = new ScriptedTokenBroker();
  const totpRemoved: string[] = [];
  const sponsorship = new Sponsorship({
    policy,
    clock,
    audit: sink,
    workstation: 'ws-test',
    resolveBadge: (h) => directory.resolveBadge(h),
    verifyPin: (userId, pin) => identityPins(pins).verify(userId, pin),
  });
  const log = { info: () => {}, warn: () => {} };
  /** The temporary-access service as a workstation creates it when it starts (again). */
  const newTemporaryAccess = (): TemporaryAccess =>
    new TemporaryAccess({
      policy,
      directory,
      ended: new EndedBadges(store),
      unenroll: async (userId, reason) =>
        (await directory.account(userId)) ? enrollment.unenroll(userId, { userId: 'temporary-access' }, reason) : false,
      audit: sink,
      clock,
      workstation: 'ws-test',
      log,
    });
  const temporary = newTemporaryAccess();
  const enrollment: EnrollmentService = new EnrollmentService({
    directory,
    pins,
    tokens,
    totp: { remove: async (userId) => void totpRemoved.push(userId) },
    revocations: new AccessRevocations(),
    audit: new IdentityAudit(sink, clock, 'ws-test'),
    clock,
    random,
    pendingTtlMs: 600_000,
    sponsorship: {
      isTemporary: (roles) => isTemporaryStaff(policy, roles),
      sponsor: (newcomer, signal) => sponsorship.request(newcomer, signal),
      enrolled: () => temporary.enrolled(),
    },
  });
  const session = createSessionService({
    clock,
    random,
    audit: sink,
    directory,
    pins: identityPins(pins),
    authenticator: new FakeAuthenticator(),
    enrollment: identityEnrollment(enrollment, log),
    hashBadge: fakeHash,
    workstation: 'ws-test',
    policy: testPolicy({ signIn: 'badge+pin' }),
    admission: temporary,
  });
  temporary.attach(session);
  const views: SessionView[] = [];
  session.onView((v) => views.push(v));
  const ended: string[] = [];
  session.onLifecycle((e) => e.kind === 'terminated' && ended.push(e.userId));

  /** Enrolls a permanent member of staff directly (they sponsor, or are refused as sponsors). */
  async function enrollStaff(user: typeof CHARGE, badge: string, pin: string) {
    tokens.nextUser(user);
    const pending = await enrollment.beginEnrollment(fakeHash(badge));
    await enrollment.completeEnrollment(pending.id, pin);
  }

  const tap = (badgeId: string) => session.handle({ type: 'badge-tap', badgeId, readerId: 'r1' });

  /**
   * The locum taps their unknown badge, signs in, chooses a PIN; resolves once the enrollment asks for a sponsor
   * (`completion` settles when the sponsor confirmed or the enrollment was refused).
   */
  async function locumWaitsForSponsor() {
    tokens.nextUser(LOCUM);
    await tap(BADGE.locum);
    const completion = session.handle({ type: 'choose-pin', pin: PIN.locum });
    await flush();
    // Wrapped: an async function returning the promise itself would wait for it.
    return { completion };
  }

  /** The whole sponsored enrollment: the charge nurse sponsors for `days` (and a shift window, if given). */
  async function enrollLocum(days: number, shift: { start: string; end: string } | null = null) {
    const { completion } = await locumWaitsForSponsor();
    await sponsorship.badge(fakeHash(BADGE.charge));
    const pinAck = await sponsorship.pin(PIN.charge);
    if (!pinAck.ok) throw new Error(pinAck.message);
    const confirmed = sponsorship.confirm({ days, shift });
    if (!confirmed.ok) throw new Error(confirmed.message);
    await completion;
    await flush();
  }

  async function advance(ms: number) {
    clock.advance(ms);
    await flush();
    await flush();
  }

  return {
    clock,
    sink,
    store,
    policy,
    directory,
    pins,
    tokens,
    sponsorship,
    temporary,
    newTemporaryAccess,
    enrollment,
    session,
    views,
    ended,
    totpRemoved,
    enrollStaff,
    tap,
    locumWaitsForSponsor,
    enrollLocum,
    advance,
    types: () => sink.events.map((e) => e.type),
  };
}
