// The Pod Security Standard "restricted" (https://kubernetes.io/docs/concepts/security/pod-security-standards/),
// as rules over a pod spec. Each violation is one line a person can act on.
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';

/** Volume types "restricted" allows; anything else (hostPath above all) is a violation. */
const ALLOWED_VOLUMES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];
const SAFE_SYSCTLS = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
];

export function restrictedViolations(spec: PodSpec): string[] {
  const pod = spec.securityContext ?? {};
  const containers: Container[] = [
    ...(spec.initContainers ?? []),
    ...spec.containers,
  ];
  const out: string[] = [];
  if (spec.hostNetwork) out.push('hostNetwork');
  if (spec.hostPID) out.push('hostPID');
  if (spec.hostIPC) out.push('hostIPC');
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (!type || !ALLOWED_VOLUMES.includes(type))
      out.push(`volume ${v.name} is ${type}`);
  }
  for (const s of pod.sysctls ?? [])
    if (!SAFE_SYSCTLS.includes(s.name)) out.push(`sysctl ${s.name}`);
  if (pod.runAsUser === 0) out.push('pod runAsUser 0');
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    const where = `container ${c.name}`;
    if (sc.privileged) out.push(`${where} is privileged`);
    if (sc.allowPrivilegeEscalation !== false)
      out.push(`${where} allows privilege escalation`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL'))
      out.push(`${where} does not drop ALL capabilities`);
    for (const cap of sc.capabilities?.add ?? [])
      if (cap !== 'NET_BIND_SERVICE')
        out.push(`${where} adds capability ${cap}`);
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true)
      out.push(`${where} may run as root (runAsNonRoot is not true)`);
    if (sc.runAsUser === 0) out.push(`${where} runAsUser 0`);
    const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
      out.push(`${where} has no RuntimeDefault or Localhost seccomp profile`);
    if (sc.procMount && sc.procMount !== 'Default')
      out.push(`${where} procMount ${sc.procMount}`);
    for (const p of c.ports ?? [])
      if (p.hostPort) out.push(`${where} hostPort ${p.hostPort}`);
  }
  return out;
}

/**
 * The documented exceptions (README, "Security"). Promtail must read the node's log files, so it mounts host paths
 * read-only and runs as root (the files' owner), with every capability dropped and no privilege escalation.
 * node-exporter must read the node's /proc, /sys and filesystems, so it mounts them read-only, as a non-root user.
 * Nothing else may differ.
 */
export const RESTRICTED_EXCEPTIONS: Record<string, readonly string[]> = {
  'DaemonSet/node-exporter': [
    'volume proc is hostPath',
    'volume sys is hostPath',
    'volume root is hostPath',
  ],
  'DaemonSet/promtail': [
    'volume positions is hostPath',
    'volume pod-logs is hostPath',
    'pod runAsUser 0',
    'container promtail may run as root (runAsNonRoot is not true)',
  ],
  'DaemonSet/alloy': [
    'volume storage is hostPath',
    'volume pod-logs is hostPath',
    'pod runAsUser 0',
    'container alloy may run as root (runAsNonRoot is not true)',
  ],
};

/** Docker nodes add one more read-only host path to the same exception. */
export const DOCKER_EXCEPTION = 'volume docker-containers is hostPath';
