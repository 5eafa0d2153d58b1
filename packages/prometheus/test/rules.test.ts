import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toYaml } from '@plgkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  PROMETHEUS_BUILD_TIMEOUT_MS,
  prometheusBinaries,
} from '../../../support/upstream-binaries.js';
import {
  type AlertingRule,
  alertingRules,
  PROMETHEUS_VERSION,
  ruleFiles,
} from '../src/index.js';

// Unit tests of every alert with the real `promtool test rules`, of the Prometheus version the stack runs (built from
// the Go module proxy on first use, as the e2e builds it).
// Each alert has a case that fires, with its exact labels and annotations, and a case that stays quiet.

interface Series {
  series: string;
  values: string;
}
interface Case {
  series: Series[];
  at: string;
}
interface AlertCases {
  firing: Case & {
    labels: Record<string, string>;
    summary: string;
    description: string;
  };
  quiet: Case;
  /** More firing cases, e.g. a component that has no pod at all. */
  alsoFiring?: (Case & {
    labels: Record<string, string>;
    summary: string;
    description: string;
  })[];
}

const s = (series: string, values: string): Series => ({ series, values });
const POD = 'namespace="default", pod="web-1", container="app"';

const CASES: Record<string, AlertCases> = {
  TargetDown: {
    firing: {
      series: [
        s(
          'up{job="node-exporter", instance="node-exporter-x:9100", namespace="monitoring", pod="node-exporter-x"}',
          '0x10',
        ),
      ],
      at: '6m',
      labels: {
        job: 'node-exporter',
        instance: 'node-exporter-x:9100',
        namespace: 'monitoring',
        pod: 'node-exporter-x',
      },
      summary: 'Target node-exporter node-exporter-x:9100 is down',
      description:
        'Prometheus has not scraped node-exporter-x:9100 (job node-exporter, namespace monitoring, pod node-exporter-x) for 5 minutes.',
    },
    quiet: {
      series: [
        s('up{job="node-exporter", instance="node-exporter-x:9100"}', '1x10'),
      ],
      at: '6m',
    },
  },
  KubeletScrapeFailing: {
    firing: {
      series: [
        s(
          'up{job="kubernetes-nodes", instance="192.0.2.2:10250", node="minikube"}',
          '0x10',
        ),
      ],
      at: '6m',
      labels: {
        job: 'kubernetes-nodes',
        instance: '192.0.2.2:10250',
        node: 'minikube',
      },
      summary: 'Prometheus cannot scrape the kubelet on node minikube',
      description:
        "Job kubernetes-nodes fails on node minikube; Status → Targets in Prometheus shows the error. 403 Forbidden: Prometheus's ClusterRole lacks get on nodes/metrics; re-apply the prometheus base (`kubectl apply -k`), which grants it. An x509 error: the kubelet's serving certificate is self-signed; set kubeletInsecureSkipVerify in the Prometheus options.",
    },
    quiet: {
      series: [
        s(
          'up{job="kubernetes-nodes", instance="192.0.2.2:10250", node="minikube"}',
          '1x10',
        ),
        s('up{job="node-exporter", instance="node-exporter-x:9100"}', '0x10'),
      ],
      at: '6m',
    },
  },
  PrometheusConfigReloadFailed: {
    firing: {
      series: [
        s(
          'prometheus_config_last_reload_successful{job="prometheus", pod="prometheus-0"}',
          '0x15',
        ),
      ],
      at: '11m',
      labels: { job: 'prometheus', pod: 'prometheus-0' },
      summary: 'Prometheus could not load its configuration',
      description:
        'Prometheus prometheus-0 runs an old configuration: the last reload failed. Check its log and prometheus.yml.',
    },
    quiet: {
      series: [
        s(
          'prometheus_config_last_reload_successful{job="prometheus", pod="prometheus-0"}',
          '1x15',
        ),
      ],
      at: '11m',
    },
  },
  PodRestartingOften: {
    firing: {
      series: [s(`kube_pod_container_status_restarts_total{${POD}}`, '0+1x70')],
      at: '65m',
      labels: { namespace: 'default', pod: 'web-1', container: 'app' },
      summary: 'Pod default/web-1 is restarting',
      description:
        'Container app of pod default/web-1 restarted more than 3 times in the last hour. `kubectl -n default logs web-1 -c app --previous` shows why.',
    },
    quiet: {
      series: [s(`kube_pod_container_status_restarts_total{${POD}}`, '2x70')],
      at: '65m',
    },
  },
  ContainerOOMKilled: {
    firing: {
      series: [
        s(
          `kube_pod_container_status_last_terminated_reason{${POD}, reason="OOMKilled"}`,
          '_x10 1x10',
        ),
        s(
          `kube_pod_container_status_last_terminated_timestamp{${POD}}`,
          '_x10 600x10',
        ),
      ],
      at: '15m',
      labels: { namespace: 'default', pod: 'web-1', container: 'app' },
      summary: 'Container default/web-1/app was OOMKilled',
      description:
        'Container app of pod default/web-1 used more memory than its limit and was killed. Raise its memory limit or find the leak.',
    },
    // Killed once in its first minute: there is no sample from 10 minutes before to compare a restart count with.
    alsoFiring: [
      {
        series: [
          s(
            `kube_pod_container_status_last_terminated_reason{${POD}, reason="OOMKilled"}`,
            '1x4',
          ),
          s(
            `kube_pod_container_status_last_terminated_timestamp{${POD}}`,
            '30x4',
          ),
        ],
        at: '2m',
        labels: { namespace: 'default', pod: 'web-1', container: 'app' },
        summary: 'Container default/web-1/app was OOMKilled',
        description:
          'Container app of pod default/web-1 used more memory than its limit and was killed. Raise its memory limit or find the leak.',
      },
    ],
    // Killed for another reason, or OOMKilled more than 10 minutes ago.
    quiet: {
      series: [
        s(
          `kube_pod_container_status_last_terminated_reason{${POD}, reason="Error"}`,
          '_x10 1x10',
        ),
        s(
          `kube_pod_container_status_last_terminated_timestamp{${POD}}`,
          '_x10 600x10',
        ),
        s(
          'kube_pod_container_status_last_terminated_reason{namespace="default", pod="old", container="app", reason="OOMKilled"}',
          '1x20',
        ),
        s(
          'kube_pod_container_status_last_terminated_timestamp{namespace="default", pod="old", container="app"}',
          '0x20',
        ),
      ],
      at: '15m',
    },
  },
  ContainerNearMemoryLimit: {
    firing: {
      series: [
        s(`container_memory_working_set_bytes{${POD}}`, '950000000x25'),
        s(
          `kube_pod_container_resource_limits{${POD}, resource="memory"}`,
          '1000000000x25',
        ),
      ],
      at: '20m',
      labels: { namespace: 'default', pod: 'web-1', container: 'app' },
      summary: 'Container default/web-1/app is near its memory limit',
      description:
        'Container app of pod default/web-1 uses 95% of its memory limit; past it, it is OOMKilled.',
    },
    quiet: {
      series: [
        s(`container_memory_working_set_bytes{${POD}}`, '500000000x25'),
        s(
          `kube_pod_container_resource_limits{${POD}, resource="memory"}`,
          '1000000000x25',
        ),
      ],
      at: '20m',
    },
  },
  ContainerCPUThrottled: {
    firing: {
      series: [
        s(`container_cpu_cfs_throttled_periods_total{${POD}}`, '0+30x30'),
        s(`container_cpu_cfs_periods_total{${POD}}`, '0+100x30'),
      ],
      at: '25m',
      labels: { namespace: 'default', pod: 'web-1', container: 'app' },
      summary: 'Container default/web-1/app is CPU-throttled',
      description:
        'Container app of pod default/web-1 was throttled in 30% of its CPU periods; it is slowed down by its CPU limit.',
    },
    quiet: {
      series: [
        s(`container_cpu_cfs_throttled_periods_total{${POD}}`, '0+10x30'),
        s(`container_cpu_cfs_periods_total{${POD}}`, '0+100x30'),
      ],
      at: '25m',
    },
    // docker (cri-dockerd): only the pod's cgroup is labelled, with container="".
    alsoFiring: [
      {
        series: [
          s(
            'container_cpu_cfs_throttled_periods_total{namespace="default", pod="web-1", container=""}',
            '0+30x30',
          ),
          s(
            'container_cpu_cfs_periods_total{namespace="default", pod="web-1", container=""}',
            '0+100x30',
          ),
          s(
            'container_cpu_cfs_throttled_periods_total{namespace="", pod="", container=""}',
            '0+30x30',
          ),
          s(
            'container_cpu_cfs_periods_total{namespace="", pod="", container=""}',
            '0+100x30',
          ),
        ],
        at: '25m',
        labels: { namespace: 'default', pod: 'web-1' },
        summary: 'Container default/web-1/* is CPU-throttled',
        description:
          'Container (all of them) of pod default/web-1 was throttled in 30% of its CPU periods; it is slowed down by its CPU limit.',
      },
    ],
  },
  NodeFilesystemAlmostFull: {
    firing: {
      series: [
        s(
          'node_filesystem_avail_bytes{node="n1", mountpoint="/", device="/dev/vda1", fstype="ext4"}',
          '5000000000x20',
        ),
        s(
          'node_filesystem_size_bytes{node="n1", mountpoint="/", device="/dev/vda1", fstype="ext4"}',
          '100000000000x20',
        ),
        s(
          'node_filesystem_readonly{node="n1", mountpoint="/", device="/dev/vda1", fstype="ext4"}',
          '0x20',
        ),
      ],
      at: '15m',
      labels: {
        node: 'n1',
        mountpoint: '/',
        device: '/dev/vda1',
        fstype: 'ext4',
      },
      summary: 'Filesystem / on node n1 is almost full',
      description: 'Only 5% of / (/dev/vda1) is free on node n1.',
    },
    quiet: {
      series: [
        s(
          'node_filesystem_avail_bytes{node="n1", mountpoint="/", device="/dev/vda1", fstype="ext4"}',
          '50000000000x20',
        ),
        s(
          'node_filesystem_size_bytes{node="n1", mountpoint="/", device="/dev/vda1", fstype="ext4"}',
          '100000000000x20',
        ),
        s(
          'node_filesystem_readonly{node="n1", mountpoint="/", device="/dev/vda1", fstype="ext4"}',
          '0x20',
        ),
        // A nearly full tmpfs is normal and ignored.
        s(
          'node_filesystem_avail_bytes{node="n1", mountpoint="/run", device="tmpfs", fstype="tmpfs"}',
          '1x20',
        ),
        s(
          'node_filesystem_size_bytes{node="n1", mountpoint="/run", device="tmpfs", fstype="tmpfs"}',
          '100x20',
        ),
      ],
      at: '15m',
    },
  },
  NodeMemoryPressure: {
    firing: {
      series: [
        s('node_memory_MemAvailable_bytes{node="n1"}', '50000000x20'),
        s('node_memory_MemTotal_bytes{node="n1"}', '1000000000x20'),
      ],
      at: '15m',
      labels: { node: 'n1' },
      summary: 'Node n1 is low on memory',
      description:
        'Only 5% of the memory of node n1 is available; the kubelet will start evicting pods.',
    },
    quiet: {
      series: [
        s('node_memory_MemAvailable_bytes{node="n1"}', '500000000x20'),
        s('node_memory_MemTotal_bytes{node="n1"}', '1000000000x20'),
      ],
      at: '15m',
    },
  },
  PodNotReady: {
    firing: {
      series: [
        s(
          'kube_pod_status_phase{namespace="default", pod="web-1", phase="Pending"}',
          '1x20',
        ),
        s(
          'kube_pod_status_phase{namespace="default", pod="web-1", phase="Running"}',
          '0x20',
        ),
      ],
      at: '20m',
      labels: { namespace: 'default', pod: 'web-1' },
      summary: 'Pod default/web-1 is not ready',
      description:
        'Pod default/web-1 has been Pending, Unknown or Failed for 15 minutes. `kubectl -n default describe pod web-1` says why.',
    },
    quiet: {
      series: [
        s(
          'kube_pod_status_phase{namespace="default", pod="web-1", phase="Pending"}',
          '0x20',
        ),
        s(
          'kube_pod_status_phase{namespace="default", pod="web-1", phase="Running"}',
          '1x20',
        ),
      ],
      at: '20m',
    },
  },
  DeploymentReplicasUnavailable: {
    firing: {
      series: [
        s(
          'kube_deployment_status_replicas_unavailable{namespace="default", deployment="web"}',
          '1x20',
        ),
      ],
      at: '20m',
      labels: { namespace: 'default', deployment: 'web' },
      summary: 'Deployment default/web has unavailable replicas',
      description:
        '1 replica(s) of deployment default/web have been unavailable for 15 minutes.',
    },
    quiet: {
      series: [
        s(
          'kube_deployment_status_replicas_unavailable{namespace="default", deployment="web"}',
          '0x20',
        ),
      ],
      at: '20m',
    },
  },
  PersistentVolumeFillingUp: {
    firing: {
      series: [
        s(
          'kubelet_volume_stats_available_bytes{namespace="monitoring", persistentvolumeclaim="data-prometheus-0"}',
          '500000000x15',
        ),
        s(
          'kubelet_volume_stats_capacity_bytes{namespace="monitoring", persistentvolumeclaim="data-prometheus-0"}',
          '10000000000x15',
        ),
      ],
      at: '10m',
      labels: {
        namespace: 'monitoring',
        persistentvolumeclaim: 'data-prometheus-0',
      },
      summary: 'Volume monitoring/data-prometheus-0 is almost full',
      description:
        'Only 5% of PersistentVolumeClaim monitoring/data-prometheus-0 is free.',
    },
    quiet: {
      series: [
        s(
          'kubelet_volume_stats_available_bytes{namespace="monitoring", persistentvolumeclaim="data-prometheus-0"}',
          '5000000000x15',
        ),
        s(
          'kubelet_volume_stats_capacity_bytes{namespace="monitoring", persistentvolumeclaim="data-prometheus-0"}',
          '10000000000x15',
        ),
      ],
      at: '10m',
    },
  },
  LokiDown: {
    firing: {
      series: [
        s(
          'up{job="kubernetes-pods", app="loki", namespace="monitoring", pod="loki-0"}',
          '0x10',
        ),
      ],
      at: '10m',
      labels: {
        job: 'kubernetes-pods',
        app: 'loki',
        namespace: 'monitoring',
        pod: 'loki-0',
      },
      summary: 'Loki is down',
      description:
        'Prometheus cannot scrape Loki pod monitoring/loki-0: logs are not being stored.',
    },
    alsoFiring: [
      {
        series: [
          s(
            'up{job="kubernetes-pods", app="grafana", namespace="monitoring", pod="grafana-x"}',
            '1x10',
          ),
        ],
        at: '10m',
        labels: { job: 'kubernetes-pods', app: 'loki' },
        summary: 'Loki is down',
        description: 'Prometheus finds no Loki pod: logs are not being stored.',
      },
    ],
    quiet: {
      series: [
        s(
          'up{job="kubernetes-pods", app="loki", namespace="monitoring", pod="loki-0"}',
          '1x10',
        ),
      ],
      at: '10m',
    },
  },
  LogCollectorDown: {
    firing: {
      series: [
        s(
          'up{job="kubernetes-pods", app="promtail", namespace="monitoring", pod="promtail-abcde"}',
          '0x10',
        ),
      ],
      at: '10m',
      labels: {
        job: 'kubernetes-pods',
        app: 'promtail',
        namespace: 'monitoring',
        pod: 'promtail-abcde',
      },
      summary: 'The log collector is down',
      description:
        'Prometheus cannot scrape the log collector pod monitoring/promtail-abcde: logs are not being collected.',
    },
    alsoFiring: [
      {
        series: [
          s(
            'up{job="kubernetes-pods", app="alloy", namespace="monitoring", pod="alloy-abcde"}',
            '0x10',
          ),
        ],
        at: '10m',
        labels: {
          job: 'kubernetes-pods',
          app: 'alloy',
          namespace: 'monitoring',
          pod: 'alloy-abcde',
        },
        summary: 'The log collector is down',
        description:
          'Prometheus cannot scrape the log collector pod monitoring/alloy-abcde: logs are not being collected.',
      },
      {
        series: [
          s(
            'up{job="kubernetes-pods", app="loki", namespace="monitoring", pod="loki-0"}',
            '1x10',
          ),
        ],
        at: '10m',
        labels: { job: 'kubernetes-pods' },
        summary: 'The log collector is down',
        description:
          'Prometheus finds no log collector pod (Promtail or Alloy): logs are not being collected.',
      },
    ],
    // Alloy in place of Promtail is not a missing collector.
    quiet: {
      series: [
        s(
          'up{job="kubernetes-pods", app="alloy", namespace="monitoring", pod="alloy-abcde"}',
          '1x10',
        ),
      ],
      at: '10m',
    },
  },
  LogCollectorDroppingEntries: {
    firing: {
      series: [
        s(
          'promtail_dropped_entries_total{namespace="monitoring", pod="promtail-abcde"}',
          '0x5 0+5x10',
        ),
      ],
      at: '15m',
      labels: { namespace: 'monitoring', pod: 'promtail-abcde' },
      summary: 'Log collector promtail-abcde is dropping log lines',
      description:
        'Log collector monitoring/promtail-abcde gave up on log lines in the last 10 minutes; those lines are lost. Its log says why: "timestamp too old" means the lines are older than Loki\'s reject_old_samples_max_age, so the node\'s clock is behind (fix the clock: `minikube ssh -- sudo date -s @$(date +%s)`); a 5xx or "connection refused" means Loki is down.',
    },
    alsoFiring: [
      {
        series: [
          s(
            'loki_write_dropped_entries_total{namespace="monitoring", pod="alloy-abcde", reason="ingester_error"}',
            '0x5 0+5x10',
          ),
        ],
        at: '15m',
        labels: { namespace: 'monitoring', pod: 'alloy-abcde' },
        summary: 'Log collector alloy-abcde is dropping log lines',
        description:
          'Log collector monitoring/alloy-abcde gave up on log lines in the last 10 minutes; those lines are lost. Its log says why: "timestamp too old" means the lines are older than Loki\'s reject_old_samples_max_age, so the node\'s clock is behind (fix the clock: `minikube ssh -- sudo date -s @$(date +%s)`); a 5xx or "connection refused" means Loki is down.',
      },
    ],
    quiet: {
      series: [
        s(
          'promtail_dropped_entries_total{namespace="monitoring", pod="promtail-abcde"}',
          '0x15',
        ),
        s(
          'loki_write_dropped_entries_total{namespace="monitoring", pod="alloy-abcde"}',
          '0x15',
        ),
      ],
      at: '15m',
    },
  },
  LogCollectorNotTailing: {
    firing: {
      series: [
        s(
          'promtail_targets_active_total{namespace="monitoring", pod="promtail-abcde"}',
          '0x10',
        ),
      ],
      at: '6m',
      labels: { namespace: 'monitoring', pod: 'promtail-abcde' },
      summary: 'Log collector promtail-abcde tails no log files',
      description:
        'Log collector monitoring/promtail-abcde has found no pod to tail for 5 minutes. If its log says "pods is forbidden", its ClusterRole lacks list and watch on pods: re-apply its base (`kubectl apply -k`), which grants them.',
    },
    alsoFiring: [
      {
        series: [
          s(
            'loki_source_file_files_active_total{namespace="monitoring", pod="alloy-abcde", component_id="loki.source.file.pods"}',
            '0x10',
          ),
        ],
        at: '6m',
        labels: { namespace: 'monitoring', pod: 'alloy-abcde' },
        summary: 'Log collector alloy-abcde tails no log files',
        description:
          'Log collector monitoring/alloy-abcde has found no pod to tail for 5 minutes. If its log says "pods is forbidden", its ClusterRole lacks list and watch on pods: re-apply its base (`kubectl apply -k`), which grants them.',
      },
    ],
    quiet: {
      series: [
        s(
          'promtail_targets_active_total{namespace="monitoring", pod="promtail-abcde"}',
          '3x10',
        ),
        s(
          'loki_source_file_files_active_total{namespace="monitoring", pod="alloy-abcde"}',
          '3x10',
        ),
      ],
      at: '6m',
    },
  },
  LogCollectorRequestErrors: {
    firing: {
      series: [
        s(
          'promtail_request_duration_seconds_count{namespace="monitoring", pod="promtail-abcde", status_code="500"}',
          '0+2x30',
        ),
        s(
          'promtail_request_duration_seconds_count{namespace="monitoring", pod="promtail-abcde", status_code="204"}',
          '0+8x30',
        ),
      ],
      at: '25m',
      labels: { namespace: 'monitoring', pod: 'promtail-abcde' },
      summary: 'Log collector promtail-abcde fails to send logs to Loki',
      description:
        '20% of the pushes of log collector monitoring/promtail-abcde to Loki fail.',
    },
    alsoFiring: [
      {
        series: [
          s(
            'loki_write_request_duration_seconds_count{namespace="monitoring", pod="alloy-abcde", status_code="500"}',
            '0+2x30',
          ),
          s(
            'loki_write_request_duration_seconds_count{namespace="monitoring", pod="alloy-abcde", status_code="204"}',
            '0+8x30',
          ),
        ],
        at: '25m',
        labels: { namespace: 'monitoring', pod: 'alloy-abcde' },
        summary: 'Log collector alloy-abcde fails to send logs to Loki',
        description:
          '20% of the pushes of log collector monitoring/alloy-abcde to Loki fail.',
      },
    ],
    quiet: {
      series: [
        s(
          'promtail_request_duration_seconds_count{namespace="monitoring", pod="promtail-abcde", status_code="500"}',
          '0x30',
        ),
        s(
          'promtail_request_duration_seconds_count{namespace="monitoring", pod="promtail-abcde", status_code="204"}',
          '0+8x30',
        ),
      ],
      at: '25m',
    },
  },
};

function alertTest(
  rule: AlertingRule,
  c: Case,
  expected: AlertCases['firing'] | undefined,
) {
  return {
    interval: '1m',
    input_series: c.series,
    alert_rule_test: [
      {
        eval_time: c.at,
        alertname: rule.alert,
        exp_alerts: expected
          ? [
              {
                exp_labels: {
                  ...expected.labels,
                  severity: rule.labels.severity,
                },
                exp_annotations: {
                  summary: expected.summary,
                  description: expected.description,
                },
              },
            ]
          : [],
      },
    ],
  };
}

const RECORDING_TESTS = [
  {
    interval: '1m',
    input_series: [
      s('node_cpu_seconds_total{node="n1", cpu="0", mode="idle"}', '0+30x10'),
      s('node_cpu_seconds_total{node="n1", cpu="0", mode="user"}', '0+30x10'),
      s('node_memory_MemAvailable_bytes{node="n1"}', '250x10'),
      s('node_memory_MemTotal_bytes{node="n1"}', '1000x10'),
    ],
    promql_expr_test: [
      {
        expr: 'node:node_cpu_utilisation:ratio',
        eval_time: '10m',
        exp_samples: [
          { labels: 'node:node_cpu_utilisation:ratio{node="n1"}', value: 0.5 },
        ],
      },
      {
        expr: 'node:node_memory_utilisation:ratio',
        eval_time: '10m',
        exp_samples: [
          {
            labels: 'node:node_memory_utilisation:ratio{node="n1"}',
            value: 0.75,
          },
        ],
      },
    ],
  },
];

let promtool: string;
beforeAll(async () => {
  promtool = (await prometheusBinaries()).promtool;
}, PROMETHEUS_BUILD_TIMEOUT_MS);

/** Writes the rule files and a promtool test file, runs promtool, and returns its output; throws if it fails. */
function promtoolTest(tests: object[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'plgkit-rules-'));
  const files = Object.entries(ruleFiles()).map(([name, content]) => {
    writeFileSync(join(dir, name), toYaml(content));
    return name;
  });
  writeFileSync(
    join(dir, 'test.yaml'),
    toYaml({ rule_files: files, evaluation_interval: '1m', tests }),
  );
  return execFileSync(promtool, ['test', 'rules', join(dir, 'test.yaml')], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('alert rules', () => {
  const alerts = alertingRules().rules as AlertingRule[];

  it('runs the promtool of the Prometheus release the stack runs', () => {
    const version = execFileSync(promtool, ['--version'], { encoding: 'utf8' });
    console.log(version.split('\n')[0]);
    expect(version).toContain(
      `promtool, version ${PROMETHEUS_VERSION.replace(/^v/, '')} `,
    );
  });

  it('every rule file passes promtool check rules', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plgkit-rules-'));
    for (const [name, content] of Object.entries(ruleFiles())) {
      writeFileSync(join(dir, name), toYaml(content));
      expect(
        execFileSync(promtool, ['check', 'rules', join(dir, name)], {
          encoding: 'utf8',
        }),
      ).toMatch(/SUCCESS: \d+ rules found/);
    }
  });

  it('every alert has a severity, a summary and a description, and a firing and a quiet test case', () => {
    for (const a of alerts) {
      expect(['critical', 'warning', 'info']).toContain(a.labels.severity);
      expect(a.annotations.summary.length).toBeGreaterThan(10);
      expect(a.annotations.description).toMatch(/\{\{/);
    }
    expect(Object.keys(CASES).sort()).toEqual(
      alerts.map((a) => a.alert).sort(),
    );
  });

  it.each(alerts.map((a) => [a.alert, a] as const))(
    '%s fires on its case and stays quiet on the other (promtool test rules)',
    (_, rule) => {
      const c = CASES[rule.alert]!;
      const tests = [
        alertTest(rule, c.firing, c.firing),
        alertTest(rule, c.quiet, undefined),
        ...(c.alsoFiring ?? []).map((f) => alertTest(rule, f, f)),
      ];
      expect(promtoolTest(tests)).toMatch(/SUCCESS/);
    },
  );

  it('promtool fails a wrong expectation, so these tests can fail', () => {
    const rule = alerts.find((a) => a.alert === 'TargetDown')!;
    const c = CASES.TargetDown!;
    expect(() => promtoolTest([alertTest(rule, c.quiet, c.firing)])).toThrow(
      /FAILED/,
    );
  });

  it('recording rules compute node CPU and memory utilisation', () => {
    expect(promtoolTest(RECORDING_TESTS)).toMatch(/SUCCESS/);
  });
});
