// Alerting and recording rules, typed with upstream spelling, one rule file per group.
// https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/

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

function alert(name: string, severity: Severity, expr: string, forDuration: string, summary: string, description: string): AlertingRule {
  return { alert: name, expr, ...(forDuration === '0s' ? {} : { for: forDuration }), labels: { severity }, annotations: { summary, description } };
}

const FS = 'fstype!~"tmpfs|overlay|squashfs|nsfs|ramfs"';

/** Recorded once, read by the cluster dashboard. */
export function recordingRules(): RuleGroup {
  return {
    name: 'plgkit.records',
    rules: [
      { record: 'node:node_cpu_utilisation:ratio', expr: '1 - avg by (node) (rate(node_cpu_seconds_total{mode="idle"}[5m]))' },
      { record: 'node:node_memory_utilisation:ratio', expr: '1 - sum by (node) (node_memory_MemAvailable_bytes) / sum by (node) (node_memory_MemTotal_bytes)' },
    ],
  };
}

export const targetDown = () =>
  alert('TargetDown', 'warning', 'up == 0', '5m', 'Target {{ $labels.job }} {{ $labels.instance }} is down',
    'Prometheus has not scraped {{ $labels.instance }} (job {{ $labels.job }}, namespace {{ $labels.namespace }}, pod {{ $labels.pod }}) for 5 minutes.');

export const prometheusConfigReloadFailed = () =>
  alert('PrometheusConfigReloadFailed', 'warning', 'prometheus_config_last_reload_successful == 0', '10m', 'Prometheus could not load its configuration',
    'Prometheus {{ $labels.pod }} runs an old configuration: the last reload failed. Check its log and prometheus.yml.');

export const podRestartingOften = () =>
  alert('PodRestartingOften', 'warning', 'increase(kube_pod_container_status_restarts_total[1h]) > 3', '0s', 'Pod {{ $labels.namespace }}/{{ $labels.pod }} is restarting',
    'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} restarted more than 3 times in the last hour. `kubectl -n {{ $labels.namespace }} logs {{ $labels.pod }} -c {{ $labels.container }} --previous` shows why.');

export const containerOomKilled = () =>
  alert('ContainerOOMKilled', 'warning',
    '(kube_pod_container_status_restarts_total - kube_pod_container_status_restarts_total offset 10m >= 1) and ignoring (reason) min_over_time(kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}[10m]) == 1',
    '0s', 'Container {{ $labels.namespace }}/{{ $labels.pod }}/{{ $labels.container }} was OOMKilled',
    'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} used more memory than its limit and was killed. Raise its memory limit or find the leak.');

export const containerNearMemoryLimit = () =>
  alert('ContainerNearMemoryLimit', 'warning',
    'max by (namespace, pod, container) (container_memory_working_set_bytes{container!=""}) / max by (namespace, pod, container) (kube_pod_container_resource_limits{resource="memory"}) > 0.9',
    '15m', 'Container {{ $labels.namespace }}/{{ $labels.pod }}/{{ $labels.container }} is near its memory limit',
    'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} uses {{ $value | humanizePercentage }} of its memory limit; past it, it is OOMKilled.');

export const containerCpuThrottled = () =>
  alert('ContainerCPUThrottled', 'info',
    'sum by (namespace, pod, container) (increase(container_cpu_cfs_throttled_periods_total{container!=""}[5m])) / sum by (namespace, pod, container) (increase(container_cpu_cfs_periods_total{container!=""}[5m])) > 0.25',
    '15m', 'Container {{ $labels.namespace }}/{{ $labels.pod }}/{{ $labels.container }} is CPU-throttled',
    'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} was throttled in {{ $value | humanizePercentage }} of its CPU periods; it is slowed down by its CPU limit.');

export const nodeFilesystemAlmostFull = () =>
  alert('NodeFilesystemAlmostFull', 'warning',
    `node_filesystem_avail_bytes{${FS}} / node_filesystem_size_bytes{${FS}} < 0.10 and node_filesystem_readonly{${FS}} == 0`,
    '10m', 'Filesystem {{ $labels.mountpoint }} on node {{ $labels.node }} is almost full',
    'Only {{ $value | humanizePercentage }} of {{ $labels.mountpoint }} ({{ $labels.device }}) is free on node {{ $labels.node }}.');

export const nodeMemoryPressure = () =>
  alert('NodeMemoryPressure', 'warning', 'node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes < 0.10', '10m',
    'Node {{ $labels.node }} is low on memory',
    'Only {{ $value | humanizePercentage }} of the memory of node {{ $labels.node }} is available; the kubelet will start evicting pods.');

export const podNotReady = () =>
  alert('PodNotReady', 'warning', 'sum by (namespace, pod) (kube_pod_status_phase{phase=~"Pending|Unknown|Failed"}) > 0', '15m',
    'Pod {{ $labels.namespace }}/{{ $labels.pod }} is not ready',
    'Pod {{ $labels.namespace }}/{{ $labels.pod }} has been Pending, Unknown or Failed for 15 minutes. `kubectl -n {{ $labels.namespace }} describe pod {{ $labels.pod }}` says why.');

export const deploymentReplicasUnavailable = () =>
  alert('DeploymentReplicasUnavailable', 'warning', 'kube_deployment_status_replicas_unavailable > 0', '15m',
    'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has unavailable replicas',
    '{{ $value }} replica(s) of deployment {{ $labels.namespace }}/{{ $labels.deployment }} have been unavailable for 15 minutes.');

export const persistentVolumeFillingUp = () =>
  alert('PersistentVolumeFillingUp', 'warning', 'kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.10', '5m',
    'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is almost full',
    'Only {{ $value | humanizePercentage }} of PersistentVolumeClaim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is free.');

function componentDown(name: string, app: string): AlertingRule {
  const up = `up{job="kubernetes-pods", app="${app}"}`;
  return alert(`${name}Down`, 'critical', `${up} == 0 or absent(${up})`, '5m', `${name} is down`,
    `{{ with $labels.pod }}Prometheus cannot scrape ${name} pod {{ $labels.namespace }}/{{ . }}{{ else }}Prometheus finds no ${name} pod{{ end }}: logs are not being ${app === 'loki' ? 'stored' : 'collected'}.`);
}

export const lokiDown = () => componentDown('Loki', 'loki');
export const promtailDown = () => componentDown('Promtail', 'promtail');

export const promtailDroppingEntries = () =>
  alert('PromtailDroppingEntries', 'warning', 'sum by (namespace, pod) (increase(promtail_dropped_entries_total[10m])) > 0', '0s',
    'Promtail {{ $labels.pod }} is dropping log lines',
    'Promtail {{ $labels.namespace }}/{{ $labels.pod }} gave up on log lines in the last 10 minutes after its retries to Loki failed; those lines are lost.');

export const promtailRequestErrors = () =>
  alert('PromtailRequestErrors', 'warning',
    'sum by (namespace, pod) (rate(promtail_request_duration_seconds_count{status_code=~"5..|failed"}[5m])) / sum by (namespace, pod) (rate(promtail_request_duration_seconds_count[5m])) > 0.10',
    '15m', 'Promtail {{ $labels.pod }} fails to send logs to Loki',
    '{{ $value | humanizePercentage }} of the pushes of Promtail {{ $labels.namespace }}/{{ $labels.pod }} to Loki fail.');

export function alertingRules(): RuleGroup {
  return {
    name: 'plgkit.alerts',
    rules: [
      targetDown(),
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
      promtailDown(),
      promtailDroppingEntries(),
      promtailRequestErrors(),
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
