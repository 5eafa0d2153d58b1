// Permissions: a SubjectAccessReview for everything each component's ServiceAccount is granted in the shipped bases
// (Prometheus's nodes/metrics and discovery, the collector's pods, kube-state-metrics' resources). A denial names
// the rule to add, as the base ships it.
import type { KubeObject } from '@plgkit/core';
import type {
  ClusterRole,
  ClusterRoleBinding,
  PolicyRule,
} from 'kubernetes-types/rbac/v1.js';
import { type Collector, stackWith } from '../stack.js';
import { type CheckResult, type Problem, verdict } from './model.js';

/** One thing a ServiceAccount must be allowed, and the ClusterRole rule that allows it. */
export interface Need {
  readonly component: string;
  readonly serviceAccount: string;
  readonly clusterRole: string;
  readonly rule: PolicyRule;
  readonly verb: string;
  /** `nodes/metrics`, `endpointslices.discovery.k8s.io`, or a non-resource URL such as `/metrics`. */
  readonly what: string;
  readonly attributes: {
    verb: string;
    group?: string;
    resource?: string;
    subresource?: string;
    path?: string;
  };
}

/** Every grant of every component's ClusterRoles to its ServiceAccount, one per verb and resource. */
export function stackNeeds(collector: Collector = 'promtail'): Need[] {
  const needs: Need[] = [];
  for (const c of stackWith(collector)) {
    const objects = c.output().base.resources as readonly KubeObject[];
    for (const binding of objects.filter(
      (o): o is KubeObject<ClusterRoleBinding> =>
        o.kind === 'ClusterRoleBinding',
    )) {
      const role = objects.find(
        (o): o is KubeObject<ClusterRole> =>
          o.kind === 'ClusterRole' && o.metadata.name === binding.roleRef.name,
      );
      for (const subject of (binding.subjects ?? []).filter(
        (s) => s.kind === 'ServiceAccount',
      )) {
        for (const rule of role?.rules ?? []) {
          for (const verb of rule.verbs) {
            for (const path of rule.nonResourceURLs ?? []) {
              needs.push({
                component: c.name,
                serviceAccount: subject.name,
                clusterRole: role!.metadata.name,
                rule,
                verb,
                what: path,
                attributes: { verb, path },
              });
            }
            for (const group of rule.apiGroups ?? []) {
              for (const full of rule.resources ?? []) {
                const [resource, subresource] = full.split('/') as [
                  string,
                  string?,
                ];
                needs.push({
                  component: c.name,
                  serviceAccount: subject.name,
                  clusterRole: role!.metadata.name,
                  rule,
                  verb,
                  what: group ? `${full}.${group}` : full,
                  attributes: {
                    verb,
                    group,
                    resource,
                    ...(subresource ? { subresource } : {}),
                  },
                });
              }
            }
          }
        }
      }
    }
  }
  return needs;
}

/** The SubjectAccessReview that asks whether `namespace/serviceAccount` may do the need. */
export function accessReview(need: Need, namespace: string): object {
  const { path, ...resource } = need.attributes;
  return {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: {
      user: `system:serviceaccount:${namespace}:${need.serviceAccount}`,
      groups: [
        'system:serviceaccounts',
        `system:serviceaccounts:${namespace}`,
        'system:authenticated',
      ],
      ...(path
        ? { nonResourceAttributes: { path, verb: need.verb } }
        : { resourceAttributes: resource }),
    },
  };
}

/** A rule as one YAML flow line, as it goes into a ClusterRole's `rules:`. */
export function ruleLine(rule: PolicyRule): string {
  const list = (xs: readonly string[]) =>
    `[${xs.map((x) => JSON.stringify(x)).join(', ')}]`;
  return rule.nonResourceURLs
    ? `{nonResourceURLs: ${list(rule.nonResourceURLs)}, verbs: ${list(rule.verbs)}}`
    : `{apiGroups: ${list(rule.apiGroups ?? [])}, resources: ${list(rule.resources ?? [])}, verbs: ${list(rule.verbs)}}`;
}

/** Denials grouped by ServiceAccount and rule: one problem, and one fix, per rule. */
export function permissionsResult(
  needs: readonly Need[],
  allowed: readonly boolean[],
  namespace: string,
): CheckResult {
  const denied = new Map<string, Need[]>();
  needs.forEach((n, i) => {
    if (allowed[i]) return;
    const key = `${n.serviceAccount}\0${ruleLine(n.rule)}`;
    denied.set(key, [...(denied.get(key) ?? []), n]);
  });
  const problems: Problem[] = [...denied.values()].map((ns) => {
    const n = ns[0]!;
    return {
      what: `ServiceAccount ${namespace}/${n.serviceAccount} may not ${ns.map((x) => `${x.verb} ${x.what}`).join(', ')}`,
      fix: `add the rule ${ruleLine(n.rule)} to ClusterRole ${n.clusterRole} (bound to ${namespace}/${n.serviceAccount}), as ${n.component}'s base ships it`,
    };
  });
  const accounts = new Set(needs.map((n) => n.serviceAccount)).size;
  return verdict(
    'permissions',
    problems,
    `${needs.length - [...denied.values()].flat().length} of ${needs.length} grants of ${accounts} ServiceAccounts allowed (SubjectAccessReview)`,
  );
}
