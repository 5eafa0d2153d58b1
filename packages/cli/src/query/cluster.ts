// Reads what Grafana was given on a live cluster (its datasources file and dashboards, from their ConfigMaps), and
// runs every dashboard query through the API server.
import { parse } from 'yaml';
import { type KubectlTarget, kubectlJson } from '../kubectl.js';
import type { DashboardJson, DatasourcesFile, QueryResult } from './model.js';
import { runDashboards } from './runner.js';
import { startServiceProxy } from './transport.js';

export interface ClusterTarget extends KubectlTarget {
  /** Where the stack runs. */
  readonly namespace: string;
}

interface ConfigMapList {
  items: Array<{ metadata: { name: string }; data?: Record<string, string> }>;
}

/** Grafana's provisioned datasources and dashboards, from the ConfigMaps labelled `app.kubernetes.io/name=grafana`. */
export async function grafanaProvisioning(
  t: ClusterTarget,
): Promise<{ datasources: DatasourcesFile; dashboards: DashboardJson[] }> {
  const list = await kubectlJson<ConfigMapList>(t, [
    '-n',
    t.namespace,
    'get',
    'configmaps',
    '-l',
    'app.kubernetes.io/name=grafana',
  ]);
  const files = list.items.flatMap((cm) => Object.entries(cm.data ?? {}));
  const datasourcesYaml = files.find(
    ([name]) => name === 'datasources.yaml',
  )?.[1];
  if (!datasourcesYaml)
    throw new Error(
      `no ConfigMap in namespace ${t.namespace} labelled app.kubernetes.io/name=grafana holds datasources.yaml: is the stack applied there?`,
    );
  const dashboards = files
    .filter(([name]) => name.endsWith('.json'))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, json]) => JSON.parse(json) as DashboardJson);
  return { datasources: parse(datasourcesYaml) as DatasourcesFile, dashboards };
}

/** Every dashboard query of the cluster's Grafana, run against its Prometheus and Loki through the API server. */
export async function queryClusterDashboards(
  t: ClusterTarget,
  now = Date.now(),
): Promise<QueryResult[]> {
  const { datasources, dashboards } = await grafanaProvisioning(t);
  const proxy = await startServiceProxy(t.namespace, t);
  try {
    return await runDashboards(dashboards, {
      datasources: datasources.datasources,
      fetchJson: proxy.fetchJson,
      now,
    });
  } finally {
    proxy.close();
  }
}
