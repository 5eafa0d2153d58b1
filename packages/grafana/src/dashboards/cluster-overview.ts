import { type Dashboard, dashboard, PROMETHEUS, variable } from './model.js';

const NODE = 'node=~"$node"';
const NS = 'namespace=~"$namespace"';

/** Is my cluster full? Nodes from node-exporter, capacity and pods from kube-state-metrics, volumes from the kubelet. */
export function clusterOverviewDashboard(): Dashboard {
  return dashboard({
    uid: 'plgkit-cluster-overview',
    title: 'Cluster overview',
    description:
      'Nodes, CPU, memory and filesystem use against capacity, pods by phase, restarts and volumes.',
    variables: [
      variable('node', PROMETHEUS, 'label_values(kube_node_info, node)'),
      variable(
        'namespace',
        PROMETHEUS,
        'label_values(kube_pod_info, namespace)',
      ),
    ],
    panels: [
      {
        type: 'stat',
        title: 'Nodes',
        width: 6,
        height: 4,
        queries: [{ expr: 'count(kube_node_info)' }],
      },
      {
        type: 'stat',
        title: 'Pods running',
        width: 6,
        height: 4,
        queries: [
          { expr: `sum(kube_pod_status_phase{phase="Running", ${NS}})` },
        ],
      },
      {
        type: 'stat',
        title: 'Pods not running',
        width: 6,
        height: 4,
        queries: [
          {
            expr: `sum(kube_pod_status_phase{phase=~"Pending|Failed|Unknown", ${NS}})`,
          },
        ],
      },
      {
        type: 'stat',
        title: 'Container restarts, last hour',
        width: 6,
        height: 4,
        queries: [
          {
            expr: `sum(increase(kube_pod_container_status_restarts_total{${NS}}[1h]))`,
          },
        ],
      },
      {
        title: 'CPU used vs capacity',
        unit: 'short',
        queries: [
          {
            expr: `sum by (node) (rate(node_cpu_seconds_total{mode!="idle", ${NODE}}[5m]))`,
            legend: '{{node}} used (cores)',
          },
          {
            expr: `sum by (node) (kube_node_status_capacity{resource="cpu", ${NODE}})`,
            legend: '{{node}} capacity (cores)',
          },
        ],
      },
      {
        title: 'Memory used vs capacity',
        unit: 'bytes',
        queries: [
          {
            expr: `sum by (node) (node_memory_MemTotal_bytes{${NODE}} - node_memory_MemAvailable_bytes{${NODE}})`,
            legend: '{{node}} used',
          },
          {
            expr: `sum by (node) (kube_node_status_capacity{resource="memory", ${NODE}})`,
            legend: '{{node}} capacity',
          },
        ],
      },
      {
        title: 'Node utilisation',
        unit: 'percentunit',
        queries: [
          {
            expr: `node:node_cpu_utilisation:ratio{${NODE}}`,
            legend: '{{node}} CPU',
          },
          {
            expr: `node:node_memory_utilisation:ratio{${NODE}}`,
            legend: '{{node}} memory',
          },
        ],
      },
      {
        title: 'Root filesystem used',
        unit: 'percentunit',
        queries: [
          {
            expr: `1 - node_filesystem_avail_bytes{mountpoint="/", ${NODE}} / node_filesystem_size_bytes{mountpoint="/", ${NODE}}`,
            legend: '{{node}}',
          },
        ],
      },
      {
        type: 'bargauge',
        title: 'Pods by namespace and phase',
        queries: [
          {
            expr: `sum by (namespace, phase) (kube_pod_status_phase{${NS}}) > 0`,
            legend: '{{namespace}} {{phase}}',
          },
        ],
      },
      {
        type: 'bargauge',
        title: 'Restarts in the last hour',
        // The ten pods that restarted most, 0s included: `> 0` would leave a healthy cluster with "No data".
        queries: [
          {
            expr: `topk(10, sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total{${NS}}[1h])))`,
            legend: '{{namespace}}/{{pod}}',
          },
        ],
      },
      {
        title: 'Volumes used',
        description:
          "From the kubelet's volume stats. hostPath PersistentVolumes (minikube's storage-provisioner, local-path-provisioner's default) have none, so this panel stays empty there; CSI and `local` volumes fill it.",
        unit: 'percentunit',
        width: 24,
        queries: [
          {
            expr: `kubelet_volume_stats_used_bytes{${NS}} / kubelet_volume_stats_capacity_bytes{${NS}}`,
            legend: '{{namespace}}/{{persistentvolumeclaim}}',
          },
        ],
      },
    ],
  });
}
