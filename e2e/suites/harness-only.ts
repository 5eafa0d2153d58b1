// Tests that only a run the harness launched, or only its cluster, can run (../harness/target.ts): an outside run
// skips them, and names each.
import { describe, it } from 'vitest';
import { TARGET } from '../harness/target.js';

/** A test that reads the node directly: its log files, cgroups, processes or network. */
export const onHarnessNode: ReturnType<typeof it.skipIf> = it.skipIf(
  !TARGET.nodeAccess,
);

/** A group of them. */
export const describeOnHarnessNode: ReturnType<typeof describe.skipIf> =
  describe.skipIf(!TARGET.nodeAccess);

/** A test of the harness's images: what its cluster lacks (Grafana's). */
export const onHarnessImages: ReturnType<typeof it.skipIf> = it.skipIf(
  !TARGET.harnessImages,
);
