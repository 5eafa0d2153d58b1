import { type KubeObject, parseQuantity } from '@plgkit/core';
import { podSpec, workloads } from '../../support/inspect.js';

export interface MemoryBudget {
  /** Sum of memory requests, in MiB. */
  readonly requestsMi: number;
  /** Sum of memory limits, in MiB. */
  readonly limitsMi: number;
}

/**
 * Memory the stack asks for on a one-node cluster (minikube): every container of every replica, a DaemonSet's pod
 * once. Limits are what it can grow to before the kernel OOM-kills.
 */
export function memoryBudget(objects: readonly KubeObject[]): MemoryBudget {
  let requests = 0;
  let limits = 0;
  for (const w of workloads(objects)) {
    const replicas = w.kind === 'DaemonSet' ? 1 : (w.spec?.replicas ?? 1);
    for (const c of podSpec(w).containers) {
      requests +=
        replicas * parseQuantity(String(c.resources?.requests?.memory ?? 0));
      limits +=
        replicas * parseQuantity(String(c.resources?.limits?.memory ?? 0));
    }
  }
  return { requestsMi: requests / 2 ** 20, limitsMi: limits / 2 ** 20 };
}
