// Grafana's "No Data" as a test: every panel target and variable query of every bundled dashboard, run the
// way Grafana 12/13 runs it, against the Prometheus and Loki Service URLs of the provisioned datasources.
import {
  directFetch,
  grafanaProvisioning,
  type QueryResult,
  runDashboards,
} from '@plgkit/cli';
import { bundledDashboards } from '@plgkit/grafana';
import { expect, it } from 'vitest';
import { NO_DATA_HERE } from '../../support/no-data.js';
import { sleep } from '../harness/daemons.js';
import { kubectlPath, plgkit } from '../harness/kubectl.js';
import { clusterDns, type Stack } from '../harness/observe.js';
import { TARGET } from '../harness/target.js';
import { onHarnessNode } from './harness-only.js';

const key = (r: QueryResult) =>
  `${r.dashboard} / ${r.panel}${r.refId ? ` (${r.refId})` : ''}`;

export function dashboardsSuite(stack: Stack): void {
  // The datasources' URLs are resolved and fetched from this machine, which is the node only on the harness's cluster.
  onHarnessNode(
    'returns data for every panel target and template variable of every bundled dashboard, except the listed ones',
    async () => {
      const target = {
        kubeconfig: TARGET.kubeconfig,
        namespace: stack.namespace,
        kubectl: kubectlPath(),
      };
      const { datasources, dashboards } = await grafanaProvisioning(target);
      // The datasources' own URLs (http://prometheus.<ns>.svc:9090), resolved by the cluster's DNS as Grafana's pod would.
      const run = () =>
        runDashboards(dashboards, {
          datasources: datasources.datasources,
          fetchJson: directFetch(clusterDns()),
        });
      const t0 = Date.now();
      let results = await run();
      const empty = (rs: QueryResult[]) =>
        rs.filter(
          (r) => (r.error || r.count === 0) && !(key(r) in NO_DATA_HERE),
        );
      // rate() over 5 minutes needs two samples of each series; the stack may be younger than that.
      while (empty(results).length > 0 && Date.now() - t0 < 300_000) {
        await sleep(10_000);
        results = await run();
      }
      console.log(
        `dashboards: ${results.length} queries after ${((Date.now() - t0) / 1000).toFixed(0)} s\n${results.map((r) => `  ${r.error || r.count === 0 ? '✗' : '✓'} ${key(r)}: ${r.error ?? `${r.count} ${r.unit}`}`).join('\n')}`,
      );
      // Every bundled dashboard is provisioned on the cluster, and no other.
      expect(dashboards.map((d) => d.uid).sort()).toEqual(
        Object.values(bundledDashboards())
          .map((d) => d.uid)
          .sort(),
      );
      expect(
        empty(results).map(
          (r) => `${key(r)}: ${r.error ?? `no data from ${r.query}`}`,
        ),
      ).toEqual([]);
      // A listed panel that has data after all is listed wrongly.
      const listed = results.filter((r) => key(r) in NO_DATA_HERE);
      expect(listed.map((r) => `${key(r)}: ${r.count}`)).toEqual(
        Object.keys(NO_DATA_HERE).map((k) => `${k}: 0`),
      );
    },
  );

  it('finds the same through the API server with plgkit dashboards, as a user would', async () => {
    const { code, out } = await plgkit([
      'dashboards',
      `--namespace=${stack.namespace}`,
    ]);
    const failing = out
      .filter((l) => l.startsWith('✗'))
      .map((l) => l.split('\n')[0]!.replace(/:.*/, ''));
    expect(failing).toEqual(Object.keys(NO_DATA_HERE).map((k) => `✗ ${k}`));
    expect(code).toBe(Object.keys(NO_DATA_HERE).length === 0 ? 0 : 1);
  });
}
