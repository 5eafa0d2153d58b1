// Pods: every pod of the stack Ready, and for each one that is not, why (from its status) and the line that fixes it.

import { parseQuantity } from '@plgkit/core';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { COMPONENT_NAMES } from '../options.js';
import { type CheckResult, type Problem, verdict } from './model.js';

/** What the pods check reads besides the pods: claims and classes for Pending pods, the cluster for OOM peaks and logs. */
export interface PodContext {
  readonly namespace: string;
  readonly claims: readonly PersistentVolumeClaim[];
  readonly storageClasses: readonly StorageClass[];
  /** The last lines a container logged before it exited. */
  lastLog(pod: string, container: string): Promise<string | undefined>;
  /** The highest working set Prometheus recorded for the container in the last hour, in bytes. */
  peakMemory(pod: string, container: string): Promise<number | undefined>;
}

const app = (p: Pod): string =>
  p.metadata?.labels?.['app.kubernetes.io/name'] ?? p.metadata?.name ?? '?';
const isReady = (p: Pod): boolean =>
  p.status?.phase === 'Succeeded' ||
  (p.status?.conditions ?? []).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );
const mib = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MiB`;

/**
 * How to give an OOMKilled container more memory, at twice its limit (or peak). A stack component's through
 * `plgkit new-overlay`, whose command line heads the overlay it wrote, or in plgkit's own overlays' size Component;
 * anything else where it is defined.
 */
export function oomFix(
  component: string,
  container: string,
  limit: string | undefined,
  peak: number | undefined,
): string {
  const bytes = limit ? parseQuantity(limit) : peak;
  const more = bytes
    ? `${Math.ceil((2 * bytes) / 1024 / 1024)}Mi`
    : '<twice its peak>';
  if (!COMPONENT_NAMES.includes(component))
    return `raise resources.limits.memory of container ${container} to ${more} where ${component} is defined`;
  return `give container ${container} more memory: run the plgkit new-overlay command at the top of your overlay's kustomization.yaml again with --force --memory ${component}=${more}; in plgkit's own overlays, raise its limits.memory in components/size-*/resources.yaml`;
}

/** The fix for a missing Secret; for the Grafana admin Secret, the command the README gives. */
function secretFix(namespace: string, secret: string): string {
  if (secret.startsWith('grafana-admin')) {
    return `kubectl -n ${namespace} create secret generic ${secret} --from-literal=admin-user=admin --from-literal=admin-password="$(openssl rand -base64 18)"`;
  }
  return `create Secret ${namespace}/${secret}, which the pod's spec names`;
}

async function containerProblems(
  pod: Pod,
  ctx: PodContext,
): Promise<Problem[]> {
  const name = pod.metadata!.name!;
  const problems: Problem[] = [];
  for (const s of [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ]) {
    const waiting = s.state?.waiting;
    const last = s.lastState?.terminated;
    const spec = [
      ...(pod.spec?.initContainers ?? []),
      ...(pod.spec?.containers ?? []),
    ].find((c) => c.name === s.name);
    const limit = spec?.resources?.limits?.memory;
    if (last?.reason === 'OOMKilled') {
      const peak = await ctx.peakMemory(name, s.name);
      problems.push({
        what: `${name}/${s.name} was OOMKilled${last.finishedAt ? ` at ${last.finishedAt}` : ''} (limit ${limit ?? 'none'}${peak ? `, last peak ${mib(peak)}` : ''}; ${s.restartCount} restarts)`,
        fix: oomFix(app(pod), s.name, limit, peak),
      });
      continue;
    }
    if (!waiting?.reason) continue;
    if (
      waiting.reason === 'ErrImagePull' ||
      waiting.reason === 'ImagePullBackOff'
    ) {
      problems.push({
        what: `${name}/${s.name}: image ${s.image} cannot be pulled (${waiting.reason})`,
        fix: `make ${s.image} reachable from the node (check the tag and the registry; minikube image load ${s.image} for a local one); kubectl -n ${ctx.namespace} describe pod ${name} shows the pull error`,
      });
    } else if (waiting.reason === 'CreateContainerConfigError') {
      const secret = /secret "([^"]+)" not found/.exec(
        waiting.message ?? '',
      )?.[1];
      problems.push({
        what: `${name}/${s.name} cannot start: ${waiting.message ?? waiting.reason}`,
        fix: secret
          ? secretFix(ctx.namespace, secret)
          : `create what the message names; kubectl -n ${ctx.namespace} describe pod ${name}`,
      });
    } else if (waiting.reason === 'CrashLoopBackOff') {
      const log = await ctx.lastLog(name, s.name);
      problems.push({
        what: `${name}/${s.name} keeps exiting (CrashLoopBackOff, ${s.restartCount} restarts)${log ? `; its last lines: ${log}` : ''}`,
        fix: `fix what its log says: kubectl -n ${ctx.namespace} logs ${name} -c ${s.name} --previous`,
      });
    } else {
      problems.push({
        what: `${name}/${s.name} is waiting: ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ''}`,
        fix: `kubectl -n ${ctx.namespace} describe pod ${name} shows why`,
      });
    }
  }
  return problems;
}

/** A pod the scheduler cannot place: an unbound claim without a default StorageClass is the common case on minikube. */
function pendingProblem(pod: Pod, ctx: PodContext): Problem | undefined {
  const scheduled = pod.status?.conditions?.find(
    (c) => c.type === 'PodScheduled',
  );
  if (pod.status?.phase !== 'Pending' || scheduled?.status !== 'False')
    return undefined;
  const name = pod.metadata!.name!;
  const claims = (pod.spec?.volumes ?? [])
    .map((v) => v.persistentVolumeClaim?.claimName)
    .filter((c): c is string => !!c);
  const pending = ctx.claims.filter(
    (c) => claims.includes(c.metadata!.name!) && c.status?.phase !== 'Bound',
  );
  if (pending.length > 0) {
    const hasDefault = ctx.storageClasses.some(
      (sc) =>
        sc.metadata?.annotations?.[
          'storageclass.kubernetes.io/is-default-class'
        ] === 'true',
    );
    const claim = pending[0]!.metadata!.name!;
    return {
      what: `${name} is Pending: its PersistentVolumeClaim ${claim} is not bound${hasDefault ? '' : ' and the cluster has no default StorageClass'}`,
      fix: hasDefault
        ? `kubectl -n ${ctx.namespace} describe pvc ${claim} shows why the provisioner has not bound it`
        : 'minikube addons enable storage-provisioner && minikube addons enable default-storageclass (elsewhere: mark a StorageClass default with the annotation storageclass.kubernetes.io/is-default-class=true)',
    };
  }
  return {
    what: `${name} is Pending: ${scheduled.message ?? scheduled.reason ?? 'not scheduled'}`,
    fix: `kubectl -n ${ctx.namespace} describe pod ${name} shows what the scheduler needs`,
  };
}

/** Every pod of the stack's namespace Ready; a pod OOMKilled since it started counts even when it runs again. */
export async function checkPods(
  pods: readonly Pod[],
  ctx: PodContext,
): Promise<CheckResult> {
  if (pods.length === 0) {
    return verdict(
      'pods',
      [
        {
          what: `no pods in namespace ${ctx.namespace}`,
          fix: 'apply the stack: kubectl apply -k overlays/minikube (or pass --namespace where it runs)',
        },
      ],
      'no pods',
    );
  }
  const problems: Problem[] = [];
  for (const pod of pods) {
    const found = await containerProblems(pod, ctx);
    const pending = found.length === 0 ? pendingProblem(pod, ctx) : undefined;
    if (pending) found.push(pending);
    if (found.length === 0 && !isReady(pod)) {
      found.push({
        what: `${pod.metadata!.name} is not Ready (${pod.status?.phase})`,
        fix: `kubectl -n ${ctx.namespace} describe pod ${pod.metadata!.name} shows which probe fails`,
      });
    }
    problems.push(...found);
  }
  const ready = pods.filter(isReady).length;
  return verdict('pods', problems, `${ready} of ${pods.length} pods Ready`);
}

export const podApp = app;
export const podReady = isReady;
