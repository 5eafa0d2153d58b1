import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'scripts/test/**/*.test.ts'],
    // kubectl and Go, checked once: a missing one is one line, not a failure in every test that needs it.
    globalSetup: ['./support/required-tools.ts'],
    reporters: ['default', './scripts/vitest-summary.ts'],
    setupFiles: ['./support/yield-between-tests.ts'],
    // Rendering runs kubectl and the strict check runs the TypeScript compiler: allow for a slow CI machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
