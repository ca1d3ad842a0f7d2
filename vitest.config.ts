import { defineConfig } from 'vitest/config';

// Unit and integration tiers. End-to-end tests (real Chromium) have their own config: vitest.e2e.config.ts.
export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
