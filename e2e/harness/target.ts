// The cluster the product suites (e2e/suites) run against: the one the harness made, whose node is this machine, or
// any cluster a kubeconfig names (a real minikube), through `pnpm e2e:suites`. Two facts differ:
// - node access: only a run the harness launched reads the node's files, cgroups, processes and network directly.
//   Tests that need it run only then (../suites/harness-only.ts), and an outside run names each one it skipped.
// - images: the harness's cluster has only the images the harness built (no pulls, so no Grafana, and Alloy's only
//   once provided). Any other cluster pulls upstream's. An outside run through the harness's own kubeconfig is still
//   on the harness's cluster.
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { KUBECONFIG, OUTSIDE_KUBECONFIG_ENV } from '../../support/paths.js';

export interface SuiteTarget {
  readonly kubeconfig: string;
  /** The run was launched by the harness, on its cluster: the node is this machine. */
  readonly nodeAccess: boolean;
  /** The cluster is the harness's: images are only those it built and imported. */
  readonly harnessImages: boolean;
}

interface Kubeconfig {
  'current-context'?: string;
  contexts?: Array<{ name: string; context: { cluster: string } }>;
  clusters?: Array<{ name: string; cluster: { server: string } }>;
}

/** The API server the kubeconfig's current context talks to. */
function serverOf(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const k = parse(readFileSync(path, 'utf8')) as Kubeconfig;
  const context = k.contexts?.find((c) => c.name === k['current-context']);
  return k.clusters?.find((c) => c.name === context?.context.cluster)?.cluster
    .server;
}

function target(): SuiteTarget {
  const outside = process.env[OUTSIDE_KUBECONFIG_ENV];
  if (!outside)
    return { kubeconfig: KUBECONFIG, nodeAccess: true, harnessImages: true };
  const server = serverOf(outside);
  return {
    kubeconfig: outside,
    nodeAccess: false,
    harnessImages: server !== undefined && server === serverOf(KUBECONFIG),
  };
}

export const TARGET: SuiteTarget = target();

/** Grafana runs only where its image can be pulled: not on the harness's cluster. */
export const GRAFANA_RUNS = !TARGET.harnessImages;
