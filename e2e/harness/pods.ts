// Waiting for a namespace's pods, and explaining the ones that are not Ready: state, events, last log lines.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { HarnessError } from '../../support/exec.js';
import { sleep } from './daemons.js';
import { kubectl, kubectlJson } from './kubectl.js';

export function pods(namespace: string): Pod[] {
  return kubectlJson<{ items: Pod[] }>(['-n', namespace, 'get', 'pods']).items;
}

export function isReady(pod: Pod): boolean {
  return (
    pod.status?.conditions?.some(
      (c) => c.type === 'Ready' && c.status === 'True',
    ) ?? false
  );
}

export function restarts(pod: Pod): number {
  return (pod.status?.containerStatuses ?? []).reduce(
    (n, c) => n + c.restartCount,
    0,
  );
}

/** One line: the pod's phase and each container's state, as `kubectl get pods` would summarise it. */
export function podState(pod: Pod): string {
  const containers = (pod.status?.containerStatuses ?? []).map((c) => {
    const s =
      c.state?.waiting?.reason ??
      (c.state?.terminated
        ? `Terminated:${c.state.terminated.reason}`
        : c.state?.running
          ? 'Running'
          : '?');
    return `${c.name}=${s}${c.ready ? '(ready)' : ''}`;
  });
  return `${pod.metadata?.name}: ${pod.status?.phase} restarts=${restarts(pod)} ${containers.join(' ')}`;
}

/** Why a pod is not Ready: its state, its events and the last lines each container logged. */
export function explainPod(namespace: string, pod: Pod): string {
  const name = pod.metadata!.name!;
  const lines = [`pod ${namespace}/${podState(pod)}`];
  try {
    const events = kubectl([
      '-n',
      namespace,
      'get',
      'events',
      `--field-selector=involvedObject.name=${name}`,
      '--sort-by=.lastTimestamp',
      '-o',
      'custom-columns=REASON:.reason,MESSAGE:.message',
      '--no-headers',
    ]);
    lines.push(
      ...events
        .trim()
        .split('\n')
        .slice(-8)
        .map((e) => `  event: ${e}`),
    );
  } catch {
    // events are a best effort
  }
  for (const c of pod.status?.containerStatuses ?? []) {
    for (const previous of c.restartCount > 0 ? [true, false] : [false]) {
      try {
        const log = kubectl([
          '-n',
          namespace,
          'logs',
          name,
          '-c',
          c.name,
          '--tail=10',
          ...(previous ? ['--previous'] : []),
        ]).trim();
        if (log)
          lines.push(
            ...log
              .split('\n')
              .map(
                (l) => `  log ${c.name}${previous ? ' (previous)' : ''}: ${l}`,
              ),
          );
      } catch {
        // no log yet
      }
    }
  }
  return lines.join('\n');
}

export interface WaitOptions {
  /** Pods that are expected not to become Ready here (Grafana: no image). */
  readonly except?: RegExp;
  readonly seconds: number;
}

/**
 * Waits until every pod (but the excepted) is Ready. Fails early when a container restarts, and always with each
 * unready pod explained.
 */
export async function waitForPodsReady(
  namespace: string,
  options: WaitOptions,
): Promise<Pod[]> {
  const deadline = Date.now() + options.seconds * 1000;
  for (;;) {
    const all = pods(namespace);
    const checked = all.filter(
      (p) => !options.except?.test(p.metadata?.name ?? ''),
    );
    const restarted = checked.filter((p) => restarts(p) > 0);
    const unready = checked.filter((p) => !isReady(p));
    if (checked.length > 0 && unready.length === 0 && restarted.length === 0)
      return all;
    if (restarted.length > 0 || Date.now() > deadline) {
      const bad = [...new Set([...restarted, ...unready])];
      throw new HarnessError(
        `${bad.length} pod(s) in ${namespace} not Ready with zero restarts after ${Math.round((options.seconds * 1000 - (deadline - Date.now())) / 1000)} s:\n${bad.map((p) => explainPod(namespace, p)).join('\n')}`,
      );
    }
    await sleep(2000);
  }
}
