import type {
  NetworkPolicy,
  NetworkPolicyEgressRule,
  NetworkPolicyIngressRule,
  NetworkPolicyPort,
} from 'kubernetes-types/networking/v1.js';
import type { KubeObject } from './kube.js';
import { type AppIdentity, labels, PART_OF, selectorLabels } from './labels.js';

/** TCP ports by number. */
export function tcpPorts(...ports: number[]): NetworkPolicyPort[] {
  return ports.map((port) => ({ protocol: 'TCP', port }));
}

/** Ingress from plgkit pods of the named apps, in the policy's namespace, to the given ports. */
export function fromApps(
  apps: string[],
  ports: NetworkPolicyPort[],
): NetworkPolicyIngressRule {
  return {
    from: [
      {
        podSelector: {
          matchLabels: { 'app.kubernetes.io/part-of': PART_OF },
          matchExpressions: [
            {
              key: 'app.kubernetes.io/name',
              operator: 'In',
              values: [...apps].sort(),
            },
          ],
        },
      },
    ],
    ports,
  };
}

/** Egress to plgkit pods of the named apps, in the policy's namespace, on the given ports. */
export function toApps(
  apps: string[],
  ports: NetworkPolicyPort[],
): NetworkPolicyEgressRule {
  return { to: fromApps(apps, ports).from, ports };
}

/** Name lookups: egress to the cluster DNS (CoreDNS keeps the `k8s-app: kube-dns` label) on port 53. */
export function dnsEgress(): NetworkPolicyEgressRule {
  return {
    to: [
      {
        namespaceSelector: {},
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      },
    ],
    ports: [
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ],
  };
}

/**
 * A NetworkPolicy for one component's pods. Listing a direction in `egress` restricts it; leaving `egress` out
 * leaves egress open (Prometheus and Promtail must reach every node and the API server).
 */
export function networkPolicy(
  app: AppIdentity,
  namespace: string,
  rules: {
    ingress: NetworkPolicyIngressRule[];
    egress?: NetworkPolicyEgressRule[];
  },
): KubeObject<NetworkPolicy> {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: app.name, namespace, labels: labels(app) },
    spec: {
      podSelector: { matchLabels: selectorLabels(app) },
      policyTypes: rules.egress ? ['Ingress', 'Egress'] : ['Ingress'],
      ingress: rules.ingress,
      ...(rules.egress ? { egress: rules.egress } : {}),
    },
  };
}
