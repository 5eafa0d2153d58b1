// Alerting and recording rules, typed with upstream spelling, one rule file per group.
// https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/

import { LOG_COLLECTORS, STACK } from '@plgkit/core';

export type Severity = 'critical' | 'warning' | 'info';

export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: Severity };
  annotations: { summary: string; description: string };
}

export interface RecordingRule {
  record: string;
  expr: string;
}

export interface RuleGroup {
  name: string;
  rules: (AlertingRule | RecordingRule)[];
}

export interface RuleFile {
  groups: RuleGroup[];
}

function alert(
  name: string,
  severity: Severity,
  expr: string,
  forDuration: string,
  summary: string,
  description: string,
): AlertingRule {
  return {
    alert: name,
    expr,
    ...(forDuration === '0s' ? {} : { for: forDuration }),
    labels: { severity },
    annotations: { summary, description },
  };
}

const FS = 'fstype!~"tmpfs|overlay|squashfs|nsfs|ramfs"';

/** Recorded once, read by the cluster dashboard. */
export function recordingRules(): RuleGroup {
  return {
    name: 'plgkit.records',
    rules: [
      {
        record: 'node:node_cpu_utilisation:ratio',
        expr: '1 - avg by (node) (rate(node_cpu_seconds_total{mode="idle"}[5m]))',
      },
      {
        record: 'node:node_memory_utilisation:ratio',
        expr: '1 - sum by (node) (node_memory_MemAvailable_bytes) / sum by (node) (node_memory_MemTotal_bytes)',
      },
    ],
  };
}

export const targetDown = () =>
  alert(
    'TargetDown',
    'warning',
    'up == 0',
    '5m',
    'Target {{ $labels.job }} {{ $labels.instance }} is down',
    'Prometheus has not scraped {{ $labels.instance }} (job {{ $labels.job }}, namespace {{ $labels.namespace }}, pod {{ $labels.pod }}) for 5 minutes.',
  );

export const prometheusConfigReloadFailed = () =>
  alert(
    'PrometheusConfigReloadFailed',
    'warning',
    'prometheus_config_last_reload_successful == 0',
    '10m',
    'Prometheus could not load its configuration',
    'Prometheus {{ $labels.pod }} runs an old configuration: the last reload failed. Check its log and prometheus.yml.',
  );

export const podRestartingOften = () =>
  alert(
    'PodRestartingOften',
    'warning',
    'increase(kube_pod_container_status_restarts_total[1h]) > 3',
    '0s',
    'Pod {{ $labels.namespace }}/{{ $labels.pod }} is restarting',
    'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} restarted more than 3 times in the last hour. `kubectl -n {{ $labels.namespace }} logs {{ $labels.pod }} -c {{ $labels.container }} --previous` shows why.',
  );

// Keyed on the kill's own time, not on a restart counter compared with 10 minutes ago: a pod killed in its first
// minutes has no sample from 10 minutes ago, and `restarts - restarts offset 10m` is then empty.
export const containerOomKilled = () =>
  alert(
    'ContainerOOMKilled',
    'warning',
    'max by (namespace, pod, container) (kube_pod_container_status_last_terminated_reason{reason="OOMKilled"} == 1 and ignoring (reason) (time() - kube_pod_container_status_last_terminated_timestamp < 600))',
    '0s',
    'Container {{ $labels.namespace }}/{{ $labels.pod }}/{{ $labels.container }} was OOMKilled',
    'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} used more memory than its limit and was killed. Raise its memory limit or find the leak.',
  );

export const containerNearMemoryLimit = () =>
  alert(
    'ContainerNearMemoryLimit',
    'warning',
    'max by (namespace, pod, container) (container_memory_working_set_bytes{container!=""}) / max by (namespace, pod, container) (kube_pod_container_resource_limits{resource="memory"}) > 0.9',
    '15m',
    'Container {{ $labels.namespace }}/{{ $labels.pod }}/{{ $labels.container }} is near its memory limit',
    'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} uses {{ $value | humanizePercentage }} of its memory limit; past it, it is OOMKilled.',
  );

/** Share of CPU periods throttled, by namespace, pod and container, over the series `selector` picks. */
const throttledShare = (selector: string): string =>
  `sum by (namespace, pod, container) (increase(container_cpu_cfs_throttled_periods_total{${selector}}[5m])) / sum by (namespace, pod, container) (increase(container_cpu_cfs_periods_total{${selector}}[5m]))`;

/** Per container; per pod (`container=""`) where docker leaves the containers' series unlabelled. */
export const containerCpuThrottled = () =>
  alert(
    'ContainerCPUThrottled',
    'info',
    `(${throttledShare('container!=""')} or (${throttledShare('container="", pod!=""')} unless on (namespace, pod) ${throttledShare('container!=""')})) > 0.25`,
    '15m',
    'Container {{ $labels.namespace }}/{{ $labels.pod }}/{{ or $labels.container "*" }} is CPU-throttled',
    'Container {{ or $labels.container "(all of them)" }} of pod {{ $labels.namespace }}/{{ $labels.pod }} was throttled in {{ $value | humanizePercentage }} of its CPU periods; it is slowed down by its CPU limit.',
  );

export const nodeFilesystemAlmostFull = () =>
  alert(
    'NodeFilesystemAlmostFull',
    'warning',
    `node_filesystem_avail_bytes{${FS}} / node_filesystem_size_bytes{${FS}} < 0.10 and node_filesystem_readonly{${FS}} == 0`,
    '10m',
    'Filesystem {{ $labels.mountpoint }} on node {{ $labels.node }} is almost full',
    'Only {{ $value | humanizePercentage }} of {{ $labels.mountpoint }} ({{ $labels.device }}) is free on node {{ $labels.node }}.',
  );

export const nodeMemoryPressure = () =>
  alert(
    'NodeMemoryPressure',
    'warning',
    'node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes < 0.10',
    '10m',
    'Node {{ $labels.node }} is low on memory',
    'Only {{ $value | humanizePercentage }} of the memory of node {{ $labels.node }} is available; the kubelet will start evicting pods.',
  );

export const podNotReady = () =>
  alert(
    'PodNotReady',
    'warning',
    'sum by (namespace, pod) (kube_pod_status_phase{phase=~"Pending|Unknown|Failed"}) > 0',
    '15m',
    'Pod {{ $labels.namespace }}/{{ $labels.pod }} is not ready',
    'Pod {{ $labels.namespace }}/{{ $labels.pod }} has been Pending, Unknown or Failed for 15 minutes. `kubectl -n {{ $labels.namespace }} describe pod {{ $labels.pod }}` says why.',
  );

export const deploymentReplicasUnavailable = () =>
  alert(
    'DeploymentReplicasUnavailable',
    'warning',
    'kube_deployment_status_replicas_unavailable > 0',
    '15m',
    'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has unavailable replicas',
    '{{ $value }} replica(s) of deployment {{ $labels.namespace }}/{{ $labels.deployment }} have been unavailable for 15 minutes.',
  );

export const persistentVolumeFillingUp = () =>
  alert(
    'PersistentVolumeFillingUp',
    'warning',
    'kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.10',
    '5m',
    'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is almost full',
    'Only {{ $value | humanizePercentage }} of PersistentVolumeClaim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is free.',
  );

export const kubeletScrapeFailing = () =>
  alert(
    'KubeletScrapeFailing',
    'warning',
    'up{job=~"kubernetes-nodes|kubernetes-cadvisor|kubernetes-resource"} == 0',
    '5m',
    'Prometheus cannot scrape the kubelet on node {{ $labels.node }}',
    "Job {{ $labels.job }} fails on node {{ $labels.node }}; Status → Targets in Prometheus shows the error. 403 Forbidden: Prometheus's ClusterRole lacks get on nodes/metrics; re-apply the prometheus base (`kubectl apply -k`), which grants it. An x509 error: the kubelet's serving certificate is self-signed; set kubeletInsecureSkipVerify in the Prometheus options.",
  );

function componentDown(name: string, app: string): AlertingRule {
  const up = `up{job="kubernetes-pods", app="${app}"}`;
  return alert(
    `${name}Down`,
    'critical',
    `${up} == 0 or absent(${up})`,
    '5m',
    `${name} is down`,
    `{{ with $labels.pod }}Prometheus cannot scrape ${name} pod {{ $labels.namespace }}/{{ . }}{{ else }}Prometheus finds no ${name} pod{{ end }}: logs are not being ${app === 'loki' ? 'stored' : 'collected'}.`,
  );
}

export const lokiDown = () => componentDown('Loki', 'loki');
/** The log collectors the stack model knows, by their `app` label. */
const COLLECTORS = LOG_COLLECTORS.map((c) => STACK[c].name).join('|');

/** Either collector's series: Promtail's metric, or Alloy's for the same thing (each pod has only its own). */
const eitherCollector = (promtail: string, alloy: string): string =>
  `${promtail} or ${alloy}`;

export const logCollectorDown = () => {
  const up = `up{job="kubernetes-pods", app=~"${COLLECTORS}"}`;
  return alert(
    'LogCollectorDown',
    'critical',
    `${up} == 0 or absent(${up})`,
    '5m',
    'The log collector is down',
    '{{ with $labels.pod }}Prometheus cannot scrape the log collector pod {{ $labels.namespace }}/{{ . }}{{ else }}Prometheus finds no log collector pod (Promtail or Alloy){{ end }}: logs are not being collected.',
  );
};

export const logCollectorDroppingEntries = () =>
  alert(
    'LogCollectorDroppingEntries',
    'warning',
    `sum by (namespace, pod) (${eitherCollector('increase(promtail_dropped_entries_total[10m])', 'increase(loki_write_dropped_entries_total[10m])')}) > 0`,
    '0s',
    'Log collector {{ $labels.pod }} is dropping log lines',
    'Log collector {{ $labels.namespace }}/{{ $labels.pod }} gave up on log lines in the last 10 minutes; those lines are lost. Its log says why: "timestamp too old" means the lines are older than Loki\'s reject_old_samples_max_age, so the node\'s clock is behind (fix the clock: `minikube ssh -- sudo date -s @$(date +%s)`); a 5xx or "connection refused" means Loki is down.',
  );

export const logCollectorNotTailing = () =>
  alert(
    'LogCollectorNotTailing',
    'warning',
    `sum by (namespace, pod) (${eitherCollector('promtail_targets_active_total', 'loki_source_file_files_active_total')}) == 0`,
    '5m',
    'Log collector {{ $labels.pod }} tails no log files',
    'Log collector {{ $labels.namespace }}/{{ $labels.pod }} has found no pod to tail for 5 minutes. If its log says "pods is forbidden", its ClusterRole lacks list and watch on pods: re-apply its base (`kubectl apply -k`), which grants them.',
  );

export const logCollectorRequestErrors = () => {
  const requests = (filter: string) =>
    `sum by (namespace, pod) (${eitherCollector(`rate(promtail_request_duration_seconds_count${filter}[5m])`, `rate(loki_write_request_duration_seconds_count${filter}[5m])`)})`;
  return alert(
    'LogCollectorRequestErrors',
    'warning',
    `${requests('{status_code=~"5..|failed"}')} / ${requests('')} > 0.10`,
    '15m',
    'Log collector {{ $labels.pod }} fails to send logs to Loki',
    '{{ $value | humanizePercentage }} of the pushes of log collector {{ $labels.namespace }}/{{ $labels.pod }} to Loki fail.',
  );
};

export function alertingRules(): RuleGroup {
  return {
    name: 'plgkit.alerts',
    rules: [
      targetDown(),
      kubeletScrapeFailing(),
      prometheusConfigReloadFailed(),
      podRestartingOften(),
      containerOomKilled(),
      containerNearMemoryLimit(),
      containerCpuThrottled(),
      nodeFilesystemAlmostFull(),
      nodeMemoryPressure(),
      podNotReady(),
      deploymentReplicasUnavailable(),
      persistentVolumeFillingUp(),
      lokiDown(),
      logCollectorDown(),
      logCollectorDroppingEntries(),
      logCollectorNotTailing(),
      logCollectorRequestErrors(),
    ],
  };
}

/** Rule file name → content, as mounted in RULES_DIR. */
export function ruleFiles(): Record<string, RuleFile> {
  return {
    'plgkit-alerts.yaml': { groups: [alertingRules()] },
    'plgkit-records.yaml': { groups: [recordingRules()] },
  };
}
