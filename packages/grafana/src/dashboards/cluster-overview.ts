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
        title: 'Alerts firing',
        description:
          "Alerts firing now, from the bundled rules. Above 0: Grafana's Alerting → Alert rules (or Prometheus's /alerts) names each, with its summary and what to do.",
        width: 4,
        height: 4,
        // `or vector(0)`: a quiet cluster shows 0, not "No data".
        queries: [{ expr: 'count(ALERTS{alertstate="firing"}) or vector(0)' }],
      },
      {
        type: 'stat',
        title: 'Nodes',
        description:
          'How many nodes kube-state-metrics sees. Fewer than you run: a node is gone from the API; check kubectl get nodes.',
        width: 5,
        height: 4,
        queries: [{ expr: 'count(kube_node_info)' }],
      },
      {
        type: 'stat',
        title: 'Pods running',
        description:
          'Pods in phase Running in the selected namespaces. A drop with no rollout going on: see Pods not running.',
        width: 5,
        height: 4,
        queries: [
          { expr: `sum(kube_pod_status_phase{phase="Running", ${NS}})` },
        ],
      },
      {
        type: 'stat',
        title: 'Pods not running',
        description:
          "Pods Pending, Failed or Unknown. Above 0 for long: kubectl describe pod says why (no room on a node, an image that cannot be pulled, a claim without a volume); plgkit check names the cause for the stack's own.",
        width: 5,
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
        description:
          'Container restarts in the last hour. Above 0: Restarts in the last hour names the pods; an OOMKilled container needs a larger memory limit.',
        width: 5,
        height: 4,
        queries: [
          {
            expr: `sum(increase(kube_pod_container_status_restarts_total{${NS}}[1h]))`,
          },
        ],
      },
      {
        title: 'CPU used vs capacity',
        description:
          'CPU cores busy on each node (node-exporter) against what the node offers. Used near capacity: pods are throttled and slow; find them in Namespaces, top pods by CPU.',
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
        description:
          'Memory in use on each node against its capacity. Near capacity the kernel kills containers: lower limits, or give the node (minikube --memory) more.',
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
        description:
          'CPU and memory busy as a share of each node, from the recording rules. Above 0.8 for long: the node is full; move or shrink workloads.',
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
        description:
          "Share of each node's root filesystem in use. Above 0.85: images and logs fill it and the kubelet starts evicting pods; prune images (minikube ssh -- sudo crictl rmi --prune).",
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
        description:
          'Pods per namespace and phase. A namespace with Pending or Failed pods is where to look first.',
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
        description:
          'The ten pods that restarted most in the last hour. A pod at the top restarts in a loop: kubectl logs --previous shows its last words.',
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
          "Share of each claim's volume in use, from the kubelet's volume stats. Near 1 the component can no longer write: give the claim more room or shorten retention. Empty with hostPath PersistentVolumes (minikube's storage-provisioner, local-path-provisioner's default), which report no stats; CSI and `local` volumes fill it.",
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
