// The real upstream programs at the versions the stack pins, for the unit tests: built from the Go module proxy (as
// the e2e builds them, into the same cache) the first time, then reused. So `pnpm test` runs the same promtool,
// Prometheus and Alloy as the cluster, and needs Go, not a distribution's older package.
import { goBuild } from './go-build.js';
import { alertmanager, alloy, prometheus } from './recipes.js';

/** Builds Alloy once (cold: ~12 min, 6 GiB) and returns the binary's path. */
export async function alloyBinary(): Promise<string> {
  return (await goBuild(alloy)).alloy!;
}

/** How long the first Alloy build may take, for the tests' hook timeout. */
export const ALLOY_BUILD_TIMEOUT_MS = 30 * 60_000;

/** Builds Prometheus and promtool once (cold: ~5 min) and returns both paths. */
export async function prometheusBinaries(): Promise<{
  prometheus: string;
  promtool: string;
}> {
  const built = await goBuild(prometheus);
  return { prometheus: built.prometheus!, promtool: built.promtool! };
}

/** How long the first Prometheus build may take, for the tests' hook timeout. */
export const PROMETHEUS_BUILD_TIMEOUT_MS = 15 * 60_000;

/** Builds Alertmanager and amtool once (cold: ~4 min) and returns both paths. */
export async function alertmanagerBinaries(): Promise<{
  alertmanager: string;
  amtool: string;
}> {
  const built = await goBuild(alertmanager);
  return { alertmanager: built.alertmanager!, amtool: built.amtool! };
}

/** How long the first Alertmanager build may take, for the tests' hook timeout. */
export const ALERTMANAGER_BUILD_TIMEOUT_MS = 15 * 60_000;
