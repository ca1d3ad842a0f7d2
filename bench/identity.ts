import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { systemClock } from '../common/clock.js';
import { systemRandom } from '../common/random.js';
import { MemoryAuditSink } from '../main/audit/memory-audit-sink.js';
import { createBadgeHasher } from '../main/identity/badge-hasher.js';
import { createIdentity } from '../main/identity/create-identity.js';
import { createAesGcmSealer } from '../main/identity/crypto/sealer.js';
import { PRODUCTION_ARGON2_PARAMETERS as P } from '../main/identity/pin/argon2-parameters.js';
import { MemoryKeyValueStore } from '../main/identity/storage/key-value-store.js';
import { browserSignIn } from '../test/support/browser-sign-in.js';
import { launchChromium } from '../test/support/chromium.js';
import { startLocalIdp } from '../tools/local-idp/local-idp.js';
import { percentile, reportBench, round } from './support/bench-report.js';

/**
 * npm run bench:identity — PIN verify time at the production argon2id parameters, and tap-to-token time
 * (badge lookup + silent token) against the local provider, both from the cache and through a refresh token.
 */
const PIN_RUNS = 40;
const TOKEN_RUNS = 30;

async function time(runs: number, task: () => Promise<unknown>): Promise<number[]> {
  await task(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await task();
    samples.push(performance.now() - start);
  }
  return samples;
}

const stats = (samples: number[]) => ({
  p50: round(percentile(samples, 50)),
  p95: round(percentile(samples, 95)),
  runs: samples.length,
});

const idp = await startLocalIdp();
const browser = await launchChromium();
try {
  const identity = createIdentity({
    msal: idp.msal,
    extraCaPems: [idp.caPem],
    store: new MemoryKeyValueStore(),
    sealer: createAesGcmSealer(systemRandom.bytes(32), systemRandom),
    auditSink: new MemoryAuditSink(),
    workstation: 'bench',
    clock: systemClock,
    random: systemRandom,
    openBrowser: browserSignIn(browser, () => ({ username: 'ana.nurse', password: 'demo-nurse' })),
  });

  // PIN verify through the service at the production parameters (argon2id m=19 MiB, t=2, p=1).
  await identity.pins.setPin('bench-user', '482913');
  const pinVerify = await time(PIN_RUNS, () => identity.pins.verify('bench-user', '482913'));

  // Right vs wrong PIN at the argon2 level, interleaved: the time must not reveal how close a guess was.
  const phc = await hash('482913', {
    algorithm: 2 as Algorithm,
    memoryCost: P.memoryKiB,
    timeCost: P.iterations,
    parallelism: P.parallelism,
  });
  const right: number[] = [];
  const wrong: number[] = [];
  for (let i = 0; i < PIN_RUNS; i += 1) {
    for (const [pin, into] of [
      ['482913', right],
      ['482914', wrong],
    ] as const) {
      const start = performance.now();
      await verify(phc, pin);
      into.push(performance.now() - start);
    }
  }

  // Tap to token: hash the badge, resolve it, get a token silently.
  const hasher = createBadgeHasher(systemRandom.bytes(32));
  const badge = hasher('H10301:12:4711');
  const pending = await identity.enrollment.beginEnrollment(badge);
  await identity.enrollment.completeEnrollment(pending.id, '482913');
  const tapToToken = (forceRefresh: boolean) => async () => {
    const user = await identity.directory.resolveBadge(hasher('H10301:12:4711'));
    const outcome = await identity.tokens.acquireSilent(user!.userId, { forceRefresh });
    if (!outcome.ok) throw new Error(outcome.message);
  };
  const viaRefresh = await time(TOKEN_RUNS, tapToToken(true));
  const fromCache = await time(TOKEN_RUNS, tapToToken(false));

  const result = {
    bench: 'identity',
    argon2: { algorithm: 'argon2id', memoryKiB: P.memoryKiB, iterations: P.iterations, parallelism: P.parallelism },
    pinVerifyMs: stats(pinVerify),
    argon2RightVsWrongP50Ratio: round(percentile(right, 50) / percentile(wrong, 50), 3),
    tapToTokenRefreshMs: stats(viaRefresh),
    tapToTokenCachedMs: stats(fromCache),
    refreshVsCachedP50Ratio: round(percentile(viaRefresh, 50) / percentile(fromCache, 50), 1),
  };
  reportBench('identity', result);
} finally {
  await browser.close();
  await idp.stop();
}
