import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../../common/clock.js';
import type { Random } from '../../common/random.js';
import type { BadgeReader } from '../../native/badge-reader.js';
import { ReaderManager } from '../../native/manager/reader-manager.js';
import type { ReaderConfig, ReaderEntry } from '../../native/manager/reader-config.js';
import { createReader, type ReaderFactoryDeps } from '../../native/manager/reader-factory.js';
import type { HotplugSource } from '../../native/manager/hotplug-source.js';
import type { KeyboardWedgeReader } from '../../native/wedge/keyboard-wedge-reader.js';
import { startForwarders, type RunningForwarders } from '../audit/forwarding/start-forwarders.js';
import { openReview } from '../review/open-review.js';
import type { AuditJournal } from '../audit/journal/audit-journal.js';
import { createBadgeHasher } from '../identity/badge-hasher.js';
import { createIdentity, type Identity } from '../identity/create-identity.js';
import { createAesGcmSealer } from '../identity/crypto/sealer.js';
import { FileKeyValueStore } from '../identity/storage/file-key-value-store.js';
import type { OpenSignInPage } from '../identity/tokens/token-broker.js';
import type { ResolvedPolicy } from '../app/careshell-policy.js';
import type { CareShellEnvironment } from '../app/create-careshell.js';
import { identityAuthenticator } from '../app/identity-authenticator.js';
import { identityEnrollment } from '../app/identity-enrollment.js';
import { identityPins } from '../app/identity-pins.js';
import { identityStepUp } from '../app/identity-step-up.js';
import { loadInstallationSecrets, type KeyProtector } from '../app/installation-secrets.js';
import { openWorkstationJournal } from './workstation-journal.js';

export interface WorkstationOptions {
  policy: ResolvedPolicy;
  /** Where this installation keeps its journal, keys and enrollments (userData in Electron). */
  dataDir: string;
  workstation: string;
  clock: Clock;
  random: Random;
  protector: KeyProtector;
  /** Shows the identity provider's sign-in page (a sign-in window in the shell); see OpenSignInPage. */
  openSignIn: OpenSignInPage;
  /** CAs to trust for the identity provider besides the policy's extraCaFiles (the demo's local CA). */
  extraCaPems?: string[];
  /** Real hardware access in the shell (node-hid, PC/SC, hot-plug); the demo needs none. */
  hardware?: Omit<ReaderFactoryDeps, 'clock'> & { hotplug?: HotplugSource };
  /** Replaces the driver for some entries (the demo's simulated reader it taps itself). */
  readerOverride?: (entry: ReaderEntry) => BadgeReader | undefined;
  osIdleMs?: () => number;
  log: CareShellEnvironment['log'];
}

export interface Workstation {
  env: CareShellEnvironment;
  identity: Identity;
  journal: AuditJournal;
  /** One store-and-forward forwarder per destination in policy.audit.forwarders. */
  forwarding: RunningForwarders;
  hashBadge: (canonicalBadgeId: string) => string;
  /** Wedge readers the shell must feed with key events (before-input-event). */
  wedgeReaders: KeyboardWedgeReader[];
  close(): Promise<void>;
}

/**
 * Opens everything a workstation runs on from its resolved policy: the audit journal first (nothing
 * happens unaudited) and its forwarders, installation secrets, identity, and the reader manager. Shared
 * by the Electron shell and the demo harness, which differ only in the options they pass.
 */
export async function openWorkstation(options: WorkstationOptions): Promise<Workstation> {
  const { policy, clock, random } = options;
  const identityPolicy = policy.identity;
  if (!identityPolicy) {
    throw new Error(
      'The machine policy has no "identity" section: set the identity provider (clientId, authority) so clinicians can sign in.',
    );
  }
  const journal = await openWorkstationJournal({ ...options, settings: policy.audit.journal });
  let stopForwarding = async () => {};
  try {
    const forwarding = await startForwarders({
      journal,
      destinations: policy.audit.forwarders,
      cursorDirectory: path.join(options.dataDir, 'audit-forwarding'),
      clock,
      random,
      workstation: options.workstation,
      log: options.log,
    });
    stopForwarding = () => forwarding.stop();
    const review = policy.audit.review
      ? await openReview(policy.audit.review, { clock, random, workstation: options.workstation, journal })
      : undefined;
    const secrets = await loadInstallationSecrets(options.dataDir, options.protector, random);
    const extraCaPems = [
      ...(options.extraCaPems ?? []),
      ...(await Promise.all(identityPolicy.extraCaFiles.map((f) => readFile(f, 'utf8')))),
    ];
    const identity = createIdentity({
      msal: {
        clientId: identityPolicy.clientId,
        authority: identityPolicy.authority,
        knownAuthorities: identityPolicy.knownAuthorities,
        protocolMode: identityPolicy.protocolMode,
        scopes: identityPolicy.scopes,
        rolesClaim: identityPolicy.rolesClaim,
        groupRoles: identityPolicy.groupRoles,
        consentForOfflineAccess: identityPolicy.consentForOfflineAccess,
      },
      extraCaPems,
      store: new FileKeyValueStore(path.join(options.dataDir, 'identity')),
      sealer: createAesGcmSealer(secrets.sealKey, random),
      auditSink: journal,
      workstation: options.workstation,
      clock,
      random,
      openBrowser: options.openSignIn,
      pinPolicy: policy.pin,
      pinPepper: secrets.pinPepper,
      stepUpPolicy: policy.stepUp,
      revoked: identityPolicy.revoked,
      temporaryAccess: policy.temporaryAccess,
      log: options.log,
    });
    const hashBadge = createBadgeHasher(secrets.badgeHashKey);
    const readers = openReaders(policy.readers, { ...options, hashBadgeId: hashBadge });
    return {
      identity,
      journal,
      forwarding,
      hashBadge,
      wedgeReaders: readers.keyboardWedgeReaders(),
      env: {
        clock,
        random,
        workstation: options.workstation,
        policy: policy.session,
        audit: journal,
        directory: identity.directory,
        pins: identityPins(identity.pins),
        authenticator: identityAuthenticator(
          identity.authenticator,
          async (userId) => (await identity.directory.account(userId))?.temporary?.expiresAt,
        ),
        enrollment: identityEnrollment(identity.enrollment, options.log),
        tokens: identity.authenticator,
        stepUp: identityStepUp(identity.stepUp),
        totp: identity.totp,
        accountLabel: async (userId) => {
          const account = await identity.directory.account(userId);
          return account?.username ?? account?.displayName ?? userId;
        },
        temporary: { access: identity.temporary, sponsorship: identity.sponsorship },
        hashBadge,
        readers,
        ...(options.osIdleMs ? { osIdleMs: options.osIdleMs } : {}),
        log: options.log,
        ...(review ? { review: { service: review.service, reviewerRole: review.reviewerRole } } : {}),
      },
      async close() {
        review?.close();
        await forwarding.stop();
        await journal.close();
      },
    };
  } catch (error) {
    await stopForwarding();
    await journal.close();
    throw error;
  }
}

/** The reader manager for a policy's `readers` section, on the host's hardware and its reader overrides. */
export function openReaders(
  config: ReaderConfig,
  options: Pick<WorkstationOptions, 'clock' | 'hardware' | 'readerOverride'> & { hashBadgeId?: (id: string) => string },
): ReaderManager {
  const readerDeps: ReaderFactoryDeps = { clock: options.clock, ...options.hardware };
  return new ReaderManager({
    config,
    ...readerDeps,
    ...(options.hardware?.hotplug ? { hotplug: options.hardware.hotplug } : {}),
    readerFactory: (entry) => options.readerOverride?.(entry) ?? createReader(entry, readerDeps),
    ...(options.hashBadgeId ? { hashBadgeId: options.hashBadgeId } : {}),
  });
}
