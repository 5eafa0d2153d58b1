import { type Dashboard, dashboard, PROMETHEUS, variable } from './model.js';

// cAdvisor (kubelet /metrics/cadvisor) series: `id="/"` is a node's root cgroup, i.e. the whole node;
// `container!=""` keeps per-container series and drops the pod-level cgroup that would double-count them.
const POD = 'namespace=~"$namespace", pod=~"$pod", container!=""';

/** Node and pod CPU and memory, from cAdvisor alone, so it has data with nothing but the kubelet. */
export function clusterResourcesDashboard(): Dashboard {
  return dashboard({
    uid: 'plgkit-cluster-resources',
    title: 'Cluster resources (cAdvisor)',
    description: 'CPU and memory per node and per pod, from the kubelet\'s cAdvisor endpoint.',
    variables: [
      variable('namespace', PROMETHEUS, 'label_values(container_cpu_usage_seconds_total, namespace)'),
      variable('pod', PROMETHEUS, 'label_values(container_cpu_usage_seconds_total{namespace=~"$namespace"}, pod)'),
    ],
    panels: [
      {
        title: 'Node CPU',
        unit: 'cores',
        queries: [{ expr: 'sum by (instance) (rate(container_cpu_usage_seconds_total{id="/"}[5m]))', legend: '{{instance}}' }],
      },
      {
        title: 'Node memory (working set)',
        unit: 'bytes',
        queries: [{ expr: 'sum by (instance) (container_memory_working_set_bytes{id="/"})', legend: '{{instance}}' }],
      },
      {
        title: 'Pod CPU',
        unit: 'cores',
        queries: [{ expr: `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{${POD}}[5m]))`, legend: '{{namespace}}/{{pod}}' }],
      },
      {
        title: 'Pod memory (working set)',
        unit: 'bytes',
        queries: [{ expr: `sum by (namespace, pod) (container_memory_working_set_bytes{${POD}})`, legend: '{{namespace}}/{{pod}}' }],
      },
    ],
  });
}
