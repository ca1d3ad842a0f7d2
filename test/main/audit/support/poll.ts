import type { ManualClock } from '../../../../common/manual-clock.js';

/**
 * Waits for real network I/O while driving the forwarders' timers (retry backoff, TLS settle) on the manual
 * clock: each round advances it by `stepMs` and yields to the event loop. Fails after `rounds` rounds.
 */
export async function until(
  condition: () => boolean,
  clock: ManualClock,
  what: string,
  { stepMs = 100, rounds = 2_000 } = {},
): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    if (condition()) return;
    clock.advance(stepMs);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`timed out waiting for ${what}`);
}
