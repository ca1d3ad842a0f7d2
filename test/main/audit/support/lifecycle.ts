import { afterEach, beforeAll } from 'vitest';
import { testTls } from './collectors.js';

/** Registers cleanup steps as a test builds its fixture; they run after each test, last registered first. */
export function useTeardown(): (step: () => Promise<unknown>) => void {
  const steps: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of steps.splice(0).reverse()) await step();
  });
  return (step) => void steps.push(step);
}

/** One test CA and 127.0.0.1 server certificate per test file (made once: key generation is slow). */
export function useTestTls(): () => ReturnType<typeof testTls> {
  let tls: ReturnType<typeof testTls> | undefined;
  beforeAll(() => {
    tls = testTls();
  });
  return () => tls!;
}
