import type { Clock } from '../../common/clock.js';
import type { Random } from '../../common/random.js';
import type { AuditSink } from '../audit/audit-event.js';
import { AccessRevocations, type RevokedAccess } from './access-revocations.js';
import { ClinicianAuthenticator } from './clinician-authenticator.js';
import type { Sealer } from './crypto/sealer.js';
import { UserDirectory } from './directory/user-directory.js';
import { EnrollmentService } from './enrollment/enrollment-service.js';
import { IdentityAudit } from './identity-audit.js';
import type { Argon2Parameters } from './pin/argon2-parameters.js';
import type { PinPolicy } from './pin/pin-policy.js';
import { PinService } from './pin/pin-service.js';
import type { StepUpPolicy } from './step-up/step-up-policy.js';
import { StepUpService } from './step-up/step-up-service.js';
import { TotpAuthenticator } from './step-up/totp-authenticator.js';
import type { KeyValueStore } from './storage/key-value-store.js';
import { Sponsorship } from '../temporary-access/sponsorship.js';
import { TemporaryAccess } from '../temporary-access/temporary-access-service.js';
import { EndedBadges } from '../temporary-access/ended-badges.js';
import {
  DEFAULT_TEMPORARY_ACCESS_POLICY,
  isTemporaryStaff,
  type TemporaryAccessPolicy,
} from '../temporary-access/temporary-access-policy.js';
import { IdentityError } from './identity-error.js';
import { HttpsNetworkClient } from './tokens/https-network-client.js';
import { TokenBroker, type OpenSignInPage, type TokenBrokerConfig } from './tokens/token-broker.js';

export interface IdentityOptions {
  msal: TokenBrokerConfig;
  /** Extra CAs to trust for the identity provider (the local IdP's test CA, a hospital TLS proxy). */
  extraCaPems?: string[];
  store: KeyValueStore;
  /** Seals token caches and TOTP secrets (AES-GCM with a key from safeStorage or the installation key store). */
  sealer: Sealer;
  auditSink: AuditSink;
  workstation: string;
  clock: Clock;
  random: Random;
  openBrowser: OpenSignInPage;
  pinPolicy?: PinPolicy;
  argon2?: Argon2Parameters;
  pinPepper?: Uint8Array;
  stepUpPolicy?: StepUpPolicy;
  /** Accounts revoked by machine policy (identity.revoked). */
  revoked?: readonly RevokedAccess[];
  /** Temporary staff rules (policy temporaryAccess); the built-in defaults otherwise. */
  temporaryAccess?: TemporaryAccessPolicy;
  log?: { info(message: string): void; warn(message: string): void };
}

export interface Identity {
  directory: UserDirectory;
  pins: PinService;
  tokens: TokenBroker;
  authenticator: ClinicianAuthenticator;
  enrollment: EnrollmentService;
  totp: TotpAuthenticator;
  stepUp: StepUpService;
  revocations: AccessRevocations;
  /** The sponsor step of a temporary enrollment (the screen's sponsor dialog drives it). */
  sponsorship: Sponsorship;
  /** Expiry and shift windows of temporary staff: the session engine's Admission port. */
  temporary: TemporaryAccess;
}

/** Wires the identity layer from its injected parts; the shell and the demo harness call this once. */
export function createIdentity(options: IdentityOptions): Identity {
  const audit = new IdentityAudit(options.auditSink, options.clock, options.workstation);
  const directory = new UserDirectory(options.store, () => options.clock.wallTime());
  const pins = new PinService({
    store: options.store,
    clock: options.clock,
    random: options.random,
    ...(options.pinPolicy ? { policy: options.pinPolicy } : {}),
    ...(options.argon2 ? { argon2: options.argon2 } : {}),
    ...(options.pinPepper ? { pepper: options.pinPepper } : {}),
  });
  const tokens = new TokenBroker({
    config: options.msal,
    store: options.store,
    sealer: options.sealer,
    audit,
    clock: options.clock,
    random: options.random,
    openBrowser: options.openBrowser,
    networkClient: new HttpsNetworkClient({ extraCaPems: options.extraCaPems ?? [] }),
  });
  const totp = new TotpAuthenticator(options.store, options.sealer, options.clock);
  const revocations = new AccessRevocations(options.revoked);
  const temporaryPolicy = options.temporaryAccess ?? DEFAULT_TEMPORARY_ACCESS_POLICY;
  const log = options.log ?? { info: () => {}, warn: () => {} };
  const sponsorship = new Sponsorship({
    policy: temporaryPolicy,
    clock: options.clock,
    audit: options.auditSink,
    workstation: options.workstation,
    resolveBadge: (badgeHash) => directory.resolveBadge(badgeHash),
    async verifyPin(userId, pin) {
      try {
        return await pins.verify(userId, pin);
      } catch (error) {
        if (error instanceof IdentityError) return { ok: false, reason: 'needs-reset', message: error.message };
        throw error;
      }
    },
  });
  const temporary: TemporaryAccess = new TemporaryAccess({
    policy: temporaryPolicy,
    directory,
    ended: new EndedBadges(options.store),
    // Expiry erases through the same unenrollment as IT's (badge, PIN, tokens, authenticator app, audited).
    unenroll: async (userId, reason): Promise<boolean> =>
      (await directory.account(userId))
        ? enrollment.unenroll(userId, { userId: 'temporary-access', displayName: 'Temporary access expiry' }, reason)
        : false,
    audit: options.auditSink,
    clock: options.clock,
    workstation: options.workstation,
    log,
  });
  const enrollment: EnrollmentService = new EnrollmentService({
    directory,
    pins,
    tokens,
    totp,
    revocations,
    audit,
    clock: options.clock,
    random: options.random,
    sponsorship: {
      isTemporary: (roles) => isTemporaryStaff(temporaryPolicy, roles),
      sponsor: (newcomer, signal) => sponsorship.request(newcomer, signal),
      enrolled: (): Promise<void> => temporary.enrolled(),
    },
  });
  return {
    directory,
    pins,
    tokens,
    authenticator: new ClinicianAuthenticator(tokens, pins, directory, revocations),
    enrollment,
    revocations,
    sponsorship,
    temporary,
    totp,
    stepUp: new StepUpService({
      tokens,
      totp,
      directory,
      clock: options.clock,
      ...(options.stepUpPolicy ? { policy: options.stepUpPolicy } : {}),
    }),
  };
}
