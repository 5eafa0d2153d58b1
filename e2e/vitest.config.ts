import { defineConfig, type ViteUserConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The e2e files run one at a time, in name order: the cluster first, teardown last. */
class ByName extends BaseSequencer {
  override async sort(
    files: TestSpecification[],
  ): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId));
  }
}

/** What every e2e run shares, on the harness's cluster or another (./vitest.suites.config.ts). */
export const E2E_TEST: NonNullable<ViteUserConfig['test']> = {
  setupFiles: ['./support/yield-between-tests.ts'],
  fileParallelism: false,
  sequence: { sequencer: ByName },
  // Waits are bounded inside the tests (5 min for pods); these only stop a hung run.
  testTimeout: 15 * 60_000,
  hookTimeout: 60 * 60_000,
};

export default defineConfig({
  test: {
    ...E2E_TEST,
    include: ['e2e/test/**/*.e2e.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    reporters: ['default', ['./scripts/vitest-summary.ts', { groups: true }]],
  },
});
