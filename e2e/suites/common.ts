// Small steps the fault and durability tests share: restart a component's pods, read a pod's log, restore objects.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { stringify } from 'yaml';
import { sleep } from '../harness/daemons.js';
import { applyObjects, kubectl, kubectlJson } from '../harness/kubectl.js';
import type { Stack } from '../harness/observe.js';
import { isReady } from '../harness/pods.js';
import { targetNodeName } from '../harness/target-node.js';
import { oneLine } from '../harness/workloads.js';

/** A component's pods on the suites' node (a DaemonSet also makes Pending ones for the logs test's Node without a kubelet). */
export function componentPods(namespace: string, app: string): Pod[] {
  return kubectlJson<{ items: Pod[] }>([
    '-n',
    namespace,
    'get',
    'pods',
    '-l',
    `app.kubernetes.io/name=${app}`,
    `--field-selector=spec.nodeName=${targetNodeName()}`,
  ]).items;
}

/**
 * Deletes a component's pods (gracefully, or with `--grace-period=0 --force`) and waits for new ones to be Ready, or
 * only running when `ready` is false (a fault can keep it from being Ready).
 */
export async function restartComponent(
  namespace: string,
  app: string,
  force = false,
  ready = true,
): Promise<{ seconds: number; stopSeconds: number; pod: Pod }> {
  const old = componentPods(namespace, app).map((p) => p.metadata!.uid);
  const t0 = Date.now();
  kubectl([
    '-n',
    namespace,
    'delete',
    'pods',
    '-l',
    `app.kubernetes.io/name=${app}`,
    `--field-selector=spec.nodeName=${targetNodeName()}`,
    '--wait=false',
    ...(force ? ['--grace-period=0', '--force'] : []),
  ]);
  const up = (p: Pod) =>
    ready
      ? isReady(p)
      : p.status?.containerStatuses?.[0]?.state?.running !== undefined;
  let stopSeconds: number | undefined;
  for (let i = 0; i < 300; i++) {
    const now = componentPods(namespace, app);
    const fresh = now.filter(
      (p) => !old.includes(p.metadata!.uid) && !p.metadata!.deletionTimestamp,
    );
    const oldGone = now.every((p) => !old.includes(p.metadata!.uid));
    if (oldGone) stopSeconds ??= (Date.now() - t0) / 1000;
    if (fresh.length > 0 && fresh.every(up) && oldGone)
      return {
        seconds: (Date.now() - t0) / 1000,
        stopSeconds: stopSeconds!,
        pod: fresh[0]!,
      };
    await sleep(1000);
  }
  throw new Error(
    `${app} was not ${ready ? 'Ready' : 'running'} again within 300 s of deleting its pods`,
  );
}

export function podLog(namespace: string, pod: string): string {
  return kubectl(['-n', namespace, 'logs', pod]);
}

/** Server-side apply that takes fields back from the manager that changed them (a fault, undone). */
export function applyForced(
  objects: readonly object[],
  fieldManager: string,
): void {
  kubectl(
    [
      'apply',
      '--server-side',
      '--force-conflicts',
      `--field-manager=${fieldManager}`,
      '-f',
      '-',
    ],
    objects.map((o) => stringify(o)).join('---\n'),
  );
}

export async function eventually<T>(
  read: () => T,
  done: (value: T) => boolean,
  seconds: number,
): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let value = read();
  while (!done(value) && Date.now() < deadline) {
    await sleep(2000);
    value = read();
  }
  return value;
}

/**
 * A pod in `namespace` prints `line` once; waits up to 3 minutes for Loki to have it (Promtail backs off while Loki
 * starts: its client retries from 0.5 s up to 5 min), then deletes the pod. The lines Loki has from it, and when.
 */
export async function lineThroughCollector(
  stack: Stack,
  namespace: string,
  name: string,
  line: string,
): Promise<{ lines: string[]; seconds: number }> {
  applyObjects([oneLine(name, line, namespace)]);
  const t0 = Date.now();
  const lines = await eventually(
    () =>
      stack
        .logs(`{namespace="${namespace}", pod="${name}"}`, 600)
        .map((l) => l.line),
    (ls) => ls.length > 0,
    180,
  );
  kubectl(['-n', namespace, 'delete', 'pod', name, '--wait=false']);
  return { lines, seconds: (Date.now() - t0) / 1000 };
}
