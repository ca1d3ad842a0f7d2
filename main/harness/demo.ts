import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { systemClock, type Clock } from '../../common/clock.js';
import { ManualClock } from '../../common/manual-clock.js';
import { systemRandom } from '../../common/random.js';
import { SimulatedReader } from '../../native/simulated-reader.js';
import { ReaderManager } from '../../native/manager/reader-manager.js';
import { parseReaderConfig } from '../../native/manager/reader-config.js';
import { AuditJournal } from '../audit/journal/audit-journal.js';
import { FileAuditKeyStore } from '../audit/keys/file-audit-key-store.js';
import { createBadgeHasher } from '../identity/badge-hasher.js';
import { createIdentity } from '../identity/create-identity.js';
import { createAesGcmSealer } from '../identity/crypto/sealer.js';
import { FileKeyValueStore } from '../identity/storage/file-key-value-store.js';
import { applySessionOverrides, SESSION_DEFAULTS, type SessionPolicy } from '../policy/session-settings.js';
import { BUILTIN_PROFILES } from '../policy/builtin-profiles.js';
import { startLocalIdp, type LocalIdp } from '../../tools/local-idp/local-idp.js';
import { DEMO_USERS } from '../../tools/local-idp/demo-users.js';
import { createCareShell, type CareShell } from '../app/create-careshell.js';
import { identityAuthenticator } from '../app/identity-authenticator.js';
import { startHarnessServer, type HarnessServer } from './harness-server.js';

export interface DemoOptions {
  /** Defaults to the system clock; tests pass a ManualClock, which also enables /control/advance. */
  clock?: Clock;
  port?: number;
  profile?: string;
  /** Where the demo keeps its journal, enrollments and keys; a fresh temporary folder by default. */
  dataDir?: string;
  /** Opens the identity provider's sign-in page for enrollment; the default prints its URL. */
  openSignIn?: (url: string) => Promise<void>;
  rendererDir?: string;
  bridgeFile?: string;
  quiet?: boolean;
}

/** A demo clinician: an identity-provider account with an enrolled badge and a PIN. */
export interface DemoUserCard {
  userId: string;
  displayName: string;
  roles: string[];
  username: string;
  password: string;
  badgeId: string;
  pin: string;
}

export interface Demo {
  careshell: CareShell;
  server: HarnessServer;
  reader: SimulatedReader;
  idp: LocalIdp;
  journal: AuditJournal;
  policy: SessionPolicy;
  users: DemoUserCard[];
  /** A valid badge that nobody has enrolled: tapping it starts enrollment. */
  unenrolledBadgeId: string;
  dataDir: string;
  stop(): Promise<void>;
}

const WORKSTATION = 'DEMO-WS-01';
/** Demo PINs, one per demo user in order; they pass the PIN policy's guessability rules. */
const DEMO_PINS = ['4826', '7391', '5170', '9264'];

/**
 * The demo: the same composition as the Electron app (createCareShell) with embedded defaults: a simulated
 * reader, the local OpenID provider, demo clinicians with enrolled badges and PINs, and a journal on disk.
 */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const clock = options.clock ?? systemClock;
  const random = systemRandom;
  const log = options.quiet
    ? { info: () => {}, warn: (m: string) => process.stderr.write(`careshell: ${m}\n`) }
    : { info: (m: string) => process.stdout.write(`careshell: ${m}\n`), warn: (m: string) => process.stderr.write(`careshell: ${m}\n`) };
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'careshell-demo-')));

  const profile = options.profile ?? 'default';
  const overrides = BUILTIN_PROFILES[profile];
  if (!overrides) throw new Error(`Unknown profile "${profile}"; choose one of: ${Object.keys(BUILTIN_PROFILES).join(', ')}.`);
  const policy: SessionPolicy = { ...applySessionOverrides(SESSION_DEFAULTS, overrides), profile };

  const journal = await AuditJournal.open({
    directory: path.join(dataDir, 'audit'),
    keyStore: new FileAuditKeyStore(path.join(dataDir, 'keys')),
    clock,
    random,
    workstation: WORKSTATION,
  });
  const idp = await startLocalIdp();
  const installationKey = random.bytes(32);
  const hashBadge = createBadgeHasher(installationKey);
  const identity = createIdentity({
    msal: {
      clientId: idp.clientId,
      authority: idp.issuer,
      knownAuthorities: [idp.authorityHost],
      protocolMode: 'OIDC',
      scopes: [],
      rolesClaim: 'roles',
      consentForOfflineAccess: true,
    },
    extraCaPems: [idp.caPem],
    store: new FileKeyValueStore(path.join(dataDir, 'identity')),
    sealer: createAesGcmSealer(random.bytes(32)),
    auditSink: journal,
    workstation: WORKSTATION,
    clock,
    random,
    openBrowser: options.openSignIn ?? (async (url) => void log.info(`sign in with the identity provider at ${url}`)),
  });

  const users: DemoUserCard[] = [];
  for (const [index, account] of DEMO_USERS.entries()) {
    const card: DemoUserCard = {
      userId: account.id,
      displayName: account.displayName,
      roles: [...account.roles],
      username: account.username,
      password: account.password,
      badgeId: `H10301:100:${1001 + index}`,
      pin: DEMO_PINS[index % DEMO_PINS.length]!,
    };
    await identity.directory.bind(hashBadge(card.badgeId), { userId: card.userId, displayName: card.displayName, username: card.username, roles: card.roles });
    await identity.pins.setPin(card.userId, card.pin);
    users.push(card);
  }

  const reader = new SimulatedReader('demo-reader');
  const readers = new ReaderManager({
    config: parseReaderConfig({ readers: [{ driver: 'simulated', id: reader.id, description: 'Demo badge reader' }] }),
    clock,
    readerFactory: () => reader,
  });

  const careshell = createCareShell({
    clock,
    random,
    workstation: WORKSTATION,
    policy,
    audit: journal,
    directory: identity.directory,
    pins: identity.pins,
    authenticator: identityAuthenticator(identity.authenticator),
    hashBadge,
    readers,
    log,
  });
  await careshell.start();

  const manual = clock instanceof ManualClock ? clock : undefined;
  const outDir = path.resolve(import.meta.dirname, '../../out');
  const server = await startHarnessServer({
    contract: careshell.contract,
    subscribe: (listener) => careshell.subscribe(listener),
    controls: {
      badges: [
        ...users.map((u) => ({ label: `${u.displayName} (${u.roles[0]}, PIN ${u.pin})`, badgeId: u.badgeId })),
        { label: 'Unenrolled badge', badgeId: 'H10301:100:2001' },
      ],
      tap: (badgeId) => reader.tap(badgeId),
      remove: () => reader.remove(),
      osEvent: (event) => careshell.session.handle({ type: 'os', event }),
      ...(manual ? { advanceClock: (ms: number) => manual.advance(ms) } : {}),
    },
    rendererDir: options.rendererDir ?? path.join(outDir, 'renderer'),
    bridgeFile: options.bridgeFile ?? path.join(outDir, 'harness', 'bridge.js'),
    ...(options.port !== undefined ? { port: options.port } : {}),
    log,
  });

  return {
    careshell,
    server,
    reader,
    idp,
    journal,
    policy,
    users,
    unenrolledBadgeId: 'H10301:100:2001',
    dataDir,
    async stop() {
      await server.close();
      await careshell.stop();
      await idp.stop();
      await journal.close();
    },
  };
}
