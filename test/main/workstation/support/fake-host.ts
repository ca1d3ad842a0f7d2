import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ManualClock } from '../../../../common/manual-clock.js';
import { systemRandom } from '../../../../common/random.js';
import { jsonFilePolicySource } from '../../../../main/policy/json-file-policy-source.js';
import { SimulatedReader } from '../../../../native/simulated-reader.js';
import type { SessionView } from '../../../../preload/contract.js';
import type { AuditEvent } from '../../../../main/audit/audit-event.js';
import { readEvents } from '../../../../main/audit/journal/journal-reader.js';
import type {
  HostSettings,
  KeyProtection,
  RendererSurface,
  ShowSignInOutcome,
  Stage,
  WorkstationHost,
} from '../../../../main/workstation/workstation-host.js';
import { NO_PROTECTION, UNREACHED_IDENTITY } from './simulated-workstation.js';

export const NURSE = { userId: 'nurse-1', displayName: 'Ana Example, RN', username: 'ana', roles: ['nurse'] };
export const NURSE_BADGE = 'H10301:100:1001';

/** A policy file as IT would write it for this fake host: its simulated reader and an identity provider never reached. */
export function goodPolicy(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 1,
    readers: { readers: [{ driver: 'simulated', id: 'fake-reader' }] },
    identity: UNREACHED_IDENTITY,
    ehr: { url: 'https://ehr.example.org/app', allowedOrigins: ['https://images.example.org'] },
    ...extra,
  };
}

type Waiter = { matches: () => boolean; resolve: () => void };

/**
 * A recording WorkstationHost: every call the composition makes is kept in order, and tests wait for a stage or
 * a view to appear (resolved by the call itself, never by sleeping). Its policy file lives in a private folder.
 */
export class FakeHost implements WorkstationHost {
  readonly workstation = 'COW-3F-12';
  readonly clock = new ManualClock();
  readonly random = systemRandom;
  readonly reader = new SimulatedReader('fake-reader');
  readonly logs: string[] = [];
  readonly log = {
    info: (m: string) => void this.logs.push(`info: ${m}`),
    warn: (m: string) => void this.logs.push(`warn: ${m}`),
  };
  /** Every call, in order: `present locked`, `configure`, `terminate <id>`, `exit`... */
  readonly calls: string[] = [];
  readonly stages: Stage[] = [];
  readonly settings: HostSettings[] = [];
  readonly views: SessionView[] = [];
  readonly terminated: string[] = [];
  exits = 0;
  surface: RendererSurface | undefined;
  /**
   * Set by the test: what the OS key store does (a keyring by default; 'basic_text' refuses unless allowed;
   * 'broken' throws, as a host that breaks the port's promise would).
   */
  keyStore: 'keyring' | 'basic_text' | 'broken' = 'keyring';
  /** Called at exit(): tests check there what must already be done by then. */
  onExit: () => void = () => {};
  /** What the composition's policy watcher would call; set once runWorkstation has started watching. */
  policyChanged: () => void = () => {
    throw new Error('runWorkstation is not watching the policy');
  };
  private readonly waiters = new Set<Waiter>();

  readonly policySource;

  private constructor(
    readonly dataDir: string,
    readonly policyPath: string,
  ) {
    this.policySource = jsonFilePolicySource({
      path: policyPath,
      trust: { platform: 'posix', trustedOwnerUids: [process.getuid?.() ?? 0] },
    });
  }

  static async create(): Promise<FakeHost> {
    const root = await mkdtemp(path.join(tmpdir(), 'careshell-host-'));
    const policyDir = path.join(root, 'etc');
    await mkdir(policyDir);
    await chmod(policyDir, 0o755);
    return new FakeHost(path.join(root, 'data'), path.join(policyDir, 'policy.json'));
  }

  /** Installs (or replaces, in one rename as configuration management does) the policy file. */
  async writePolicy(policy: Record<string, unknown>): Promise<void> {
    await writeFile(`${this.policyPath}.new`, JSON.stringify(policy), { mode: 0o644 });
    await rename(`${this.policyPath}.new`, this.policyPath);
  }

  async removePolicy(): Promise<void> {
    await rm(this.policyPath);
  }

  async cleanUp(): Promise<void> {
    await rm(path.dirname(this.dataDir), { recursive: true, force: true });
  }

  readonly watchPolicy = (onChange: () => void) => {
    this.policyChanged = onChange;
    return () => {
      this.policyChanged = () => {};
    };
  };

  keyProtector({ allowPlaintext }: { allowPlaintext: boolean }): KeyProtection {
    this.calls.push(`keyProtector allowPlaintext=${allowPlaintext}`);
    if (this.keyStore === 'broken') throw new Error('safeStorage is not available before app ready');
    if (this.keyStore === 'basic_text' && !allowPlaintext) {
      return { ok: false, reason: 'the key store is basic_text (no keyring): start a keyring for this account.' };
    }
    return { ok: true, protector: NO_PROTECTION };
  }

  readonly openSignIn = async () => {};

  /** What showSignIn answers (set by the test); each call is recorded. */
  signInShown: ShowSignInOutcome = { ok: true };
  showSignIn(): ShowSignInOutcome {
    this.calls.push('showSignIn');
    return this.signInShown;
  }

  readerOverride(entry: { id: string }) {
    return entry.id === this.reader.id ? this.reader : undefined;
  }

  serve(surface: RendererSurface): void {
    this.calls.push('serve');
    this.surface = surface;
    surface.subscribe((channel, payload) => {
      if (channel === 'session:view') this.views.push(payload as SessionView);
      this.settle();
    });
  }

  configure(settings: HostSettings): void {
    this.calls.push('configure');
    this.settings.push(settings);
  }

  present(stage: Stage): void {
    this.calls.push(`present ${stage.locked ? 'locked' : `ehr=${stage.ehrSessionId} overlay=${stage.overlay}`}`);
    this.stages.push(stage);
    this.settle();
  }

  async terminateEhr(sessionId: string): Promise<void> {
    this.calls.push(`terminate ${sessionId}`);
    this.terminated.push(sessionId);
    this.settle();
  }

  exit(): void {
    this.calls.push('exit');
    this.onExit();
    this.exits++;
    this.settle();
  }

  get stage(): Stage | undefined {
    return this.stages.at(-1);
  }

  get view(): SessionView | undefined {
    return this.views.at(-1);
  }

  /** Resolves once `condition` holds after some host call (or at once when it already does). */
  until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.add({ matches: condition, resolve }));
  }

  /** The renderer's request, as it would send it. */
  async invoke(channel: string, payload?: unknown): Promise<unknown> {
    const outcome = await this.surface!.invoke(channel, payload);
    if (!outcome.ok) throw new Error(outcome.error);
    return outcome.result;
  }

  async journal(): Promise<AuditEvent[]> {
    const { events } = await readEvents(path.join(this.dataDir, 'audit'), undefined, { maxEvents: 1000 });
    return events.map((e) => e.event);
  }

  private settle(): void {
    for (const waiter of this.waiters) {
      if (waiter.matches()) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }
}
