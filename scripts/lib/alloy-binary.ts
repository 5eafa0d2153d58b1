// The real `alloy` binary at the pinned version, for the config tests: built from the Go module proxy (as the e2e
// builds it, into the same cache) the first time, about 12 minutes on 2 cores, then reused.
import { goBuild } from '../../support/go-build.js';
import { alloy } from '../../support/recipes.js';

/** Builds Alloy once (cold: ~12 min, 6 GiB) and returns the binary's path. */
export async function alloyBinary(): Promise<string> {
  return (await goBuild(alloy)).alloy!;
}

/** How long the first build may take, for the tests' hook timeout. */
export const ALLOY_BUILD_TIMEOUT_MS = 30 * 60_000;
