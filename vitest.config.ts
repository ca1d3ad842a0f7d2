import { defineConfig } from 'vitest/config';

/*
 * The test tiers, told apart by file name (README "Tests"). `vitest run <file>` runs a file in whichever tier
 * holds it; `vitest run --project <tier>` runs one tier. Browser tests (test/e2e) need a build first and have
 * their own config: vitest.e2e.config.ts.
 */
const PROPERTY = 'test/**/*.property.test.ts';
const INTEGRATION = 'test/**/*.integration.test.ts';
const ELSEWHERE = ['test/e2e/**', 'test/shell/**', 'node_modules/**'];

const tier = {
  environment: 'node',
  testTimeout: 60_000,
  hookTimeout: 60_000,
} as const;

export default defineConfig({
  test: {
    projects: [
      {
        // Fast unit tests: in-process, fakes and manual clocks, temporary files at most.
        test: {
          ...tier,
          name: 'unit',
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: [...ELSEWHERE, PROPERTY, INTEGRATION],
        },
      },
      {
        // Property, fuzz and crash-recovery tests: many generated cases or killed processes; CPU-bound.
        test: { ...tier, name: 'property', include: [PROPERTY], exclude: ELSEWHERE },
      },
      {
        // Real servers and processes on 127.0.0.1 (local IdP, dbus-daemon, TLS collectors, child processes).
        // Their files run in parallel as the others do: on two cores with two workers the tier passes in 23 s
        // against 33 s with one (vitest's default there), so no limit is set.
        test: { ...tier, name: 'integration', include: [INTEGRATION], exclude: ELSEWHERE },
      },
      {
        // The Electron shell against a recording fake of the 'electron' module.
        test: { ...tier, name: 'shell', include: ['test/shell/**/*.test.{ts,tsx}'] },
      },
    ],
  },
});
