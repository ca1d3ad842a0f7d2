import { connect } from 'node:net';
import { ManualClock } from '../../../common/manual-clock.js';
import type { Random } from '../../../common/random.js';
import { MemoryAuditSink } from '../../../main/audit/memory-audit-sink.js';
import { IdentityAudit } from '../../../main/identity/identity-audit.js';
import type { Argon2Parameters } from '../../../main/identity/pin/argon2-parameters.js';

/** Cheap argon2id costs for unit tests; production values are measured by bench/identity.ts instead. */
export const TEST_ARGON2: Argon2Parameters = {
  memoryKiB: 1024,
  iterations: 1,
  parallelism: 1,
  outputBytes: 32,
  saltBytes: 16,
};

/** Deterministic Random: a counter-based byte stream, distinct on every call. */
export function countingRandom(): Random {
  let n = 0;
  return {
    uuid: () => `00000000-0000-4000-8000-${(n++).toString(16).padStart(12, '0')}`,
    bytes: (length) => Uint8Array.from({ length }, (_v, i) => (n * 31 + i * 7 + 1) & 0xff, n++),
  };
}

export function auditHarness(clock = new ManualClock()) {
  const sink = new MemoryAuditSink();
  return { clock, sink, audit: new IdentityAudit(sink, clock, 'ws-test'), types: () => sink.events.map((e) => e.type) };
}

/** The port of the loopback redirect an authorization URL names. */
export function redirectPortOf(authorizationUrl: string): number {
  return Number(new URL(new URL(authorizationUrl).searchParams.get('redirect_uri')!).port);
}

/** Whether something accepts connections on 127.0.0.1:port (a sign-in's loopback listener). */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
