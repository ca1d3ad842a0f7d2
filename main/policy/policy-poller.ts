import type { Clock } from '../../common/clock.js';
import { messageOf } from '../../common/errors.js';
import type { MachinePolicyDocument, MachinePolicyWatch } from './machine-policy-source.js';

/** Group Policy refreshes every 90 minutes or so; half a minute is soon enough and costs a few registry reads. */
export const POLICY_POLL_MS = 30_000;

/**
 * Follows a policy that offers no change notification without native code (the Windows registry): reads it at
 * an interval and reports a change when what it reads differs from the last read.
 */
export function pollMachinePolicy(
  read: () => Promise<MachinePolicyDocument>,
  watch: MachinePolicyWatch & { intervalMs?: number },
): () => void {
  const clock: Clock = watch.clock;
  const intervalMs = watch.intervalMs ?? POLICY_POLL_MS;
  let last: string | undefined;
  let stopped = false;
  let cancel: (() => void) | undefined;
  const snapshot = async () => JSON.stringify(await read());
  const tick = async () => {
    try {
      const now = await snapshot();
      if (stopped) return;
      if (last !== undefined && now !== last) watch.onChange();
      last = now;
    } catch (error) {
      watch.log.warn(`policy: cannot read the machine policy to follow changes: ${messageOf(error)}`);
    }
    if (!stopped) cancel = clock.setTimer(intervalMs, () => void tick());
  };
  void tick();
  return () => {
    stopped = true;
    cancel?.();
  };
}
