// Who may talk to whom under the rendered NetworkPolicies, following the API's semantics: a pod that no policy
// selects for a direction is open in that direction; otherwise some rule of a selecting policy must allow the peer
// and the port. Enough of the API for plgkit's policies (matchLabels, matchExpressions In, TCP/UDP ports).
import type { KubeObject } from '@plgkit/core';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from 'kubernetes-types/networking/v1.js';
import { type Workload, workloads } from './inspect.js';

export interface Pod {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Named container ports, to resolve a policy's named ports. */
  readonly ports?: Readonly<Record<string, number>>;
}

export interface Connection {
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP';
}

function matches(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (selector.matchExpressions ?? []).every((e) =>
    e.operator === 'In' ? (e.values ?? []).includes(labels[e.key] ?? '\u0000') : e.operator === 'Exists' ? e.key in labels : false,
  );
  return byLabels && byExpressions;
}

function peerMatches(peer: NetworkPolicyPeer, policyNamespace: string, pod: Pod): boolean {
  if (peer.ipBlock) return false;
  const namespaceOk = peer.namespaceSelector
    ? matches(peer.namespaceSelector, { 'kubernetes.io/metadata.name': pod.namespace })
    : pod.namespace === policyNamespace;
  return namespaceOk && matches(peer.podSelector, pod.labels);
}

function portMatches(ports: NetworkPolicyPort[] | undefined, c: Connection, target: Pod): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    const number = typeof p.port === 'string' ? target.ports?.[p.port] : p.port;
    return (p.protocol ?? 'TCP') === (c.protocol ?? 'TCP') && (p.port === undefined || number === c.port);
  });
}

function policies(objects: readonly KubeObject[]): KubeObject<NetworkPolicy>[] {
  return objects.filter((o): o is KubeObject<NetworkPolicy> => o.kind === 'NetworkPolicy');
}

function selecting(objects: readonly KubeObject[], pod: Pod, direction: 'Ingress' | 'Egress') {
  return policies(objects).filter(
    (p) => p.metadata.namespace === pod.namespace && matches(p.spec?.podSelector, pod.labels) && (p.spec?.policyTypes ?? ['Ingress']).includes(direction),
  );
}

/** Whether `from` may open `connection` to `to`: egress of `from` and ingress of `to` must both allow it. */
export function allowed(objects: readonly KubeObject[], from: Pod, to: Pod, connection: Connection): boolean {
  const egress = selecting(objects, from, 'Egress');
  const ingress = selecting(objects, to, 'Ingress');
  const out =
    egress.length === 0 ||
    egress.some((p) => (p.spec?.egress ?? []).some((r) => (!r.to || r.to.some((peer) => peerMatches(peer, p.metadata.namespace!, to))) && portMatches(r.ports, connection, to)));
  const into =
    ingress.length === 0 ||
    ingress.some((p) => (p.spec?.ingress ?? []).some((r) => (!r.from || r.from.some((peer) => peerMatches(peer, p.metadata.namespace!, from))) && portMatches(r.ports, connection, to)));
  return out && into;
}

/** A rendered workload's pods as a peer. */
export function podOf(w: Workload): Pod {
  const ports = Object.fromEntries(
    (w.spec?.template.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).filter((p) => p.name).map((p) => [p.name!, p.containerPort])),
  );
  return { namespace: w.metadata.namespace ?? 'default', labels: w.spec?.template.metadata?.labels ?? {}, ports };
}

export function podNamed(objects: readonly KubeObject[], name: string): Pod {
  const w = workloads(objects).find((x) => x.metadata.name === name);
  if (!w) throw new Error(`no workload ${name}`);
  return podOf(w);
}
