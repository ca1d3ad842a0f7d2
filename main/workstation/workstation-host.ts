import type { Clock } from '../../common/clock.js';
import type { Random } from '../../common/random.js';
import type { BadgeReader } from '../../native/badge-reader.js';
import type { HotplugSource } from '../../native/manager/hotplug-source.js';
import type { ReaderEntry } from '../../native/manager/reader-config.js';
import type { ReaderFactoryDeps } from '../../native/manager/reader-factory.js';
import type { WedgeKeyFilterSource } from '../../native/wedge/wedge-input-capture.js';
import type { EventChannel, EventPayload, InvokeOutcome } from '../../preload/contract.js';
import type { KeyProtector } from '../app/installation-secrets.js';
import type { OpenSignInPage } from '../identity/tokens/token-broker.js';
import type { MachinePolicySource } from '../policy/machine-policy-source.js';
import type { PreferenceStore } from '../preferences/preference-store.js';
import { OS_EVENTS } from '../session/session-input.js';

/**
 * The port between the one workstation composition (runWorkstation, plain Node) and what it runs in: the
 * Electron shell (main/shell/) or the demo harness (main/harness/demo.ts). Every policy and session decision
 * is made by runWorkstation; a host only does what it is told (present a stage, close a view) and reports
 * what happened (OS events, quit requests) through the RunningWorkstation it gets back. See docs/workstation.md.
 */

/** What the window shows, decided by runWorkstation from the session view and every overlay. */
export interface Stage {
  /**
   * Every screen but active / idle-warning, and every start problem: other displays are covered and the
   * main window is kept on top. Applied from the first present() call on, on every path.
   */
  locked: boolean;
  /**
   * The session whose EHR view is on screen (only when not locked); undefined = no EHR view visible. A view
   * that is no longer named here is hidden at once (its page kept alive) until shown again or terminated.
   */
  ehrSessionId?: string;
  /**
   * What the renderer draws above the EHR: 'none' (header only); 'banner' (a strip under the header for a
   * notice or the break-glass banner: the EHR view is shrunk below it); 'modal' (idle-warning countdown,
   * step-up, authenticator setup: must be fully visible and usable, so the EHR view is hidden or placed
   * under a transparent overlay view and takes no input). The header is never covered.
   */
  overlay: 'none' | 'banner' | 'modal';
}

/** Why the workstation cannot run a session: shown on a locked screen that explains itself, never an exit. */
export type StartProblem =
  /** No machine policy: IT must install one at policyPath (the source's location; docs/policy.md). */
  | { kind: 'not-configured'; policyPath: string }
  /** The policy file is unreadable or wrong: `problems` names every wrong key. */
  | { kind: 'invalid-policy'; policyPath: string; problems: string }
  /** Anything else (key protection refused, journal, secrets, identity, readers): `reason` says what and what to do. */
  | { kind: 'cannot-start'; reason: string };

/** OS signals the host reports; each maps to a session input (a walk-away signal locks at once). */
export const HOST_OS_EVENTS = [
  ...OS_EVENTS,
  /** The OS is shutting down or logging out: lock, then the shutdown order, then host.exit(). */
  'shutdown',
  /** macOS user-did-resign-active (another OS user switched in): treated as a screen lock. */
  'resign-active',
] as const;
export type HostOsEvent = (typeof HOST_OS_EVENTS)[number];

export type RendererListener = <C extends EventChannel>(channel: C, payload: EventPayload<C>) => void;

/**
 * The contract end the renderer talks to. runWorkstation serves ONE surface for the whole run and switches
 * what is behind it (a locked problem screen, then the running workstation) itself; after a switch it pushes
 * a fresh 'session:view'. Requests are untrusted: invoke validates channel and payload.
 */
export interface RendererSurface {
  invoke(channel: unknown, payload: unknown): Promise<InvokeOutcome>;
  subscribe(listener: RendererListener): () => void;
}

/** Policy-derived settings the host enforces; sent before the first stage and again when the policy changes. */
export interface HostSettings {
  /** The EHR web app loaded in each session's view; undefined when the policy has no `ehr` section. */
  ehrUrl?: string;
  /** Origins EHR views may navigate or redirect to (ehr.url's origin and ehr.allowedOrigins); all else refused. */
  ehrOrigins: string[];
  /**
   * Origins the sign-in window may navigate or redirect to (identity.authority's origin and
   * identity.allowedOrigins for federated sign-in). Loopback (http://localhost, http://127.0.0.1) is allowed
   * in the sign-in window only, for the provider's redirect back to the token broker.
   */
  signInOrigins: string[];
}

/** What showSignIn did: the page is in front, or why not and where it is (shown to the clinician as is). */
export type ShowSignInOutcome = { ok: true } | { ok: false; message: string };

export type KeyProtection = { ok: true; protector: KeyProtector } | { ok: false; reason: string };

export interface HostLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface WorkstationHost {
  /** This machine's name in the audit trail (hostname). */
  readonly workstation: string;
  /** The installed CareShell's version, for the status file and the heartbeat (app.getVersion() in the shell). */
  readonly appVersion?: string;
  /** Where the journal, keys and enrollments live (Electron userData; a temporary folder in the demo). */
  readonly dataDir: string;
  /** Where this OS keeps machine policy; use workstationPolicySource() from workstation-policy-source.ts (a packaged shell ignores CARESHELL_POLICY). */
  readonly policySource: MachinePolicySource;
  /** Where people's preferences are kept (electron-store in the shell); in memory only when absent. */
  readonly preferenceStore?: PreferenceStore;
  readonly clock: Clock;
  readonly random: Random;
  readonly log: HostLog;

  /**
   * The protector for keys at rest. May refuse with a reason an administrator can act on, e.g. Linux
   * safeStorage on its 'basic_text' backend (a fixed password) unless `allowPlaintext` (policy
   * hardening.allowPlaintextKeyStorage) is true. Must not throw: a refusal is a locked "cannot start" screen.
   */
  keyProtector(options: { allowPlaintext: boolean }): KeyProtection;
  /** Shows the identity provider's sign-in page (the sign-in window); see OpenSignInPage. */
  readonly openSignIn: OpenSignInPage;
  /**
   * Brings the sign-in page openSignIn showed, while its sign-in is still waiting, back in front of the person
   * (it went behind another window or was minimised). A host that cannot (the harness: a browser tab) answers
   * ok: false with where the page is; with no page open, ok: false saying so. Must not throw.
   */
  showSignIn(): ShowSignInOutcome;
  /** CAs to trust for the identity provider besides the policy's extraCaFiles (the demo's local CA). */
  readonly extraCaPems?: readonly string[];
  /** Real reader hardware (node-hid, PC/SC, hot-plug); the demo has none. */
  readonly hardware?: Omit<ReaderFactoryDeps, 'clock'> & { hotplug?: HotplugSource };
  /** Replaces the driver for some policy reader entries (the demo's simulated reader). */
  readerOverride?(entry: ReaderEntry): BadgeReader | undefined;
  /** OS-wide idle time (powerMonitor.getSystemIdleTime); absent in the harness. */
  osIdleMs?(): number;
  /** Feeds key events of every web contents to the keyboard-wedge readers; returns a release function. */
  captureWedgeKeys?(readers: readonly WedgeKeyFilterSource[]): () => void;

  /** Serves the renderer its contract; called once, before the first present(). */
  serve(surface: RendererSurface): void;
  /**
   * The navigation allow-list and EHR address from policy; called before the first EHR view is shown and never
   * on a start problem screen: until it is called, only the renderer itself may load anywhere.
   */
  configure(settings: HostSettings): void;
  /** Shows a stage; called only when it changes (the first call, a locked stage, comes before runWorkstation returns). */
  present(stage: Stage): void;
  /**
   * Loads a URL in a session's EHR view, creating the view if needed; it is shown only when a stage names it.
   * The first URL of a session is its EHR sign-in hand-over; later ones reload the chart a break-glass grant
   * opened or closed. Absent: the host shows no EHR.
   */
  loadEhr?(sessionId: string, url: string): void;
  /**
   * true when every session's EHR shares one cookie jar (the harness's frame): the EHR is signed in again each
   * time a session is shown. Electron gives each session its own partition and signs each in once.
   */
  readonly ehrSharedJar?: boolean;
  /**
   * The session ended (its view is already off the stage): clear its browser partition and close its view.
   * Must always close, even when clearing fails; a rejection is logged by runWorkstation, never left unseen.
   */
  terminateEhr(sessionId: string): Promise<void>;
  /** The shutdown order has finished (journal closed with its final checkpoint): end the process now. */
  exit(): void;
}

/** What the host gets back from runWorkstation: where it reports what happened. */
export interface RunningWorkstation {
  /** Resolves once the first screen is served: the running workstation or a locked problem screen. Never rejects. */
  readonly ready: Promise<void>;
  /** The problem the workstation is locked on, if any (for logs and tests). */
  problem(): StartProblem | undefined;
  /** An OS signal (powerMonitor, logind, the harness controls); resolves once it is handled, never rejects. */
  osEvent(event: HostOsEvent): Promise<void>;
  /**
   * A window close or app quit was requested (close, before-quit, window-all-closed, Ctrl+Q). The host must
   * always prevent the default first. true: policy allows it (kiosk.allowQuit): the shutdown order runs and
   * host.exit() follows. false: refused, logged, nothing changes.
   */
  requestQuit(): boolean;
  /**
   * The EHR view followed a careshell:break-glass link (docs/break-glass-api.md#the-break-glass-link): the link is
   * checked (it must come from the policy's EHR) and the break-glass dialog opens. Never rejects.
   */
  breakGlassLink(url: string): Promise<void>;
  /** The shutdown order (session engine, forwarders, journal with its final checkpoint), without host.exit(). */
  stop(): Promise<void>;
}

/** The signature of the one composition: `runWorkstation(host)` in main/workstation/run-workstation.ts. */
export type RunWorkstation = (host: WorkstationHost) => RunningWorkstation;
