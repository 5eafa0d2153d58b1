// `pnpm e2e:suites`: the product suites on a cluster the harness did not make (a real minikube), through the
// kubeconfig kubectl would use. No cluster is made or removed; tests that need the harness's own node are skipped and
// named at the end.
import { defineConfig } from 'vitest/config';
import { defaultKubeconfig, OUTSIDE_KUBECONFIG_ENV } from '../support/paths.js';
import { E2E_TEST } from './vitest.config.js';

export default defineConfig({
  test: {
    ...E2E_TEST,
    include: ['e2e/test/10-overlays.e2e.test.ts'],
    globalSetup: ['e2e/outside-setup.ts'],
    env: { [OUTSIDE_KUBECONFIG_ENV]: defaultKubeconfig() },
    reporters: [
      'default',
      [
        './scripts/vitest-summary.ts',
        {
          groups: true,
          skipped:
            "skipped, as they need the harness's own node (its files, cgroups or network) or its images (with -t, also what it left out)",
        },
      ],
    ],
  },
});
