import { type KubeObject, PART_OF } from '@plgkit/core';
import type { Namespace } from 'kubernetes-types/core/v1.js';

/**
 * The stack's Namespace. Promtail and node-exporter read the node through hostPath volumes, which Pod Security
 * "baseline" and "restricted" forbid, so it must admit privileged pods; audit reports every pod that is not
 * "restricted" (README, Security).
 */
export function stackNamespace(name: string): KubeObject<Namespace> {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        'app.kubernetes.io/part-of': PART_OF,
        'pod-security.kubernetes.io/enforce': 'privileged',
        'pod-security.kubernetes.io/audit': 'restricted',
      },
    },
  };
}
