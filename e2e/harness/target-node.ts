// The node the product suites read from, on whichever cluster they run against (./target.ts).
import type { Node } from 'kubernetes-types/core/v1.js';
import { kubectlJson } from './kubectl.js';
import { TARGET } from './target.js';
import { NODE_NAME, type NodeRuntime } from './topology.js';

/** The node an outside run reads from, when the cluster has several and none is minikube's primary. */
export const OUTSIDE_NODE_ENV = 'PLGKIT_E2E_NODE';

let node: Node | undefined;

/**
 * The node the suites read from: the harness's `minikube`; outside, minikube's primary node, the only node, or the
 * one PLGKIT_E2E_NODE names.
 */
export function targetNode(): Node {
  if (node) return node;
  const nodes = kubectlJson<{ items: Node[] }>(['get', 'nodes']).items;
  const wanted = TARGET.nodeAccess ? NODE_NAME : process.env[OUTSIDE_NODE_ENV];
  const found = wanted
    ? nodes.find((n) => n.metadata!.name === wanted)
    : (nodes.find(
        (n) => n.metadata!.labels?.['minikube.k8s.io/primary'] === 'true',
      ) ?? (nodes.length === 1 ? nodes[0] : undefined));
  if (!found)
    throw new Error(
      `no node to run the suites on among ${nodes.map((n) => n.metadata!.name).join(', ')}: set ${OUTSIDE_NODE_ENV} to one of them`,
    );
  node = found;
  return found;
}

export function targetNodeName(): string {
  return targetNode().metadata!.name!;
}

/** The node's runtime, from what its kubelet reports (`containerd://2.3.4`, `docker://28.4.0`). */
export function targetRuntime(): NodeRuntime {
  const version = targetNode().status!.nodeInfo!.containerRuntimeVersion;
  const runtime = version.split('://')[0];
  if (runtime !== 'containerd' && runtime !== 'docker')
    throw new Error(
      `node ${targetNodeName()} runs ${version}: the suites know containerd and docker`,
    );
  return runtime;
}
