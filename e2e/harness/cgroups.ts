// A container's memory cgroup on this node (cgroup v1, the kubelet's cgroupfs layout).
import { readFileSync } from 'node:fs';
import type { Pod } from 'kubernetes-types/core/v1.js';

export function memoryCgroupDir(pod: Pod, containerId: string): string {
  const qos = pod.status?.qosClass ?? 'BestEffort';
  const id = containerId.replace(/^[\w-]+:\/\//, '');
  return [
    '/sys/fs/cgroup/memory/kubepods',
    ...(qos === 'Guaranteed' ? [] : [qos.toLowerCase()]),
    `pod${pod.metadata!.uid}`,
    id,
  ].join('/');
}

/** A number from the container's memory cgroup: a whole file (`memory.limit_in_bytes`) or one key of `memory.stat`. */
export function memoryValue(
  pod: Pod,
  containerId: string,
  file: string,
  key?: string,
): number {
  const text = readFileSync(
    `${memoryCgroupDir(pod, containerId)}/${file}`,
    'utf8',
  );
  return Number(
    key ? new RegExp(`^${key} (\\d+)$`, 'm').exec(text)?.[1] : text.trim(),
  );
}

/** CPU time the container has used, in nanoseconds (cgroup v1 cpuacct.usage). */
export function cpuUsageNs(pod: Pod, containerId: string): number {
  const dir = memoryCgroupDir(pod, containerId).replace(
    '/sys/fs/cgroup/memory/',
    '/sys/fs/cgroup/cpuacct/',
  );
  return Number(readFileSync(`${dir}/cpuacct.usage`, 'utf8').trim());
}
