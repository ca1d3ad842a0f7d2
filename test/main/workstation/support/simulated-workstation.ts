import type { ManualClock } from '../../../../common/manual-clock.js';
import { systemRandom } from '../../../../common/random.js';
import type { ResolvedPolicy } from '../../../../main/app/careshell-policy.js';
import { openWorkstation, type Workstation } from '../../../../main/workstation/open-workstation.js';
import type { SimulatedReader } from '../../../../native/simulated-reader.js';

/** An identity section whose provider is never contacted: taps on enrolled badges need no round trip. */
export const UNREACHED_IDENTITY = {
  clientId: 'careshell',
  authority: 'https://idp.invalid/realms/test',
  knownAuthorities: ['idp.invalid'],
  protocolMode: 'OIDC',
} as const;

/** The keys stay in the temporary data folder: there is no OS keychain in a test. */
export const NO_PROTECTION = { name: 'none (test)', protect: (b: Buffer) => b, unprotect: (b: Buffer) => b };

/** A workstation as the shell opens it, with `reader` standing in for the policy entry of the same id. */
export function openSimulatedWorkstation(options: {
  policy: ResolvedPolicy;
  dataDir: string;
  reader: SimulatedReader;
  clock: ManualClock;
}): Promise<Workstation> {
  const { reader } = options;
  return openWorkstation({
    policy: options.policy,
    dataDir: options.dataDir,
    workstation: 'COW-3F-12',
    clock: options.clock,
    random: systemRandom,
    protector: NO_PROTECTION,
    openSignIn: async () => undefined,
    readerOverride: (entry) => (entry.id === reader.id ? reader : undefined),
    log: { info: () => undefined, warn: () => undefined },
  });
}
