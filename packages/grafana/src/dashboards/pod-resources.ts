import { type Dashboard, dashboard, PROMETHEUS, variable } from './model.js';

// cAdvisor per container (the pod-level and pause series are dropped at scrape time), next to the requests and limits
// kube-state-metrics reports for the same containers.
const POD = 'namespace=~"$namespace", pod=~"$pod"';
const CONTAINER = `${POD}, container!=""`;

/** Which pod uses what: CPU, memory against limits, CPU throttling and network, per container. */
export function podResourcesDashboard(): Dashboard {
  return dashboard({
    uid: 'plgkit-pod-resources',
    title: 'Pod resources',
    description: 'CPU, memory working set against limits, CPU throttling and network, per pod and container.',
    variables: [
      variable('namespace', PROMETHEUS, 'label_values(kube_pod_info, namespace)'),
      variable('pod', PROMETHEUS, 'label_values(kube_pod_info{namespace=~"$namespace"}, pod)'),
    ],
    panels: [
      {
        title: 'CPU',
        unit: 'short',
        queries: [
          { expr: `sum by (pod, container) (rate(container_cpu_usage_seconds_total{${CONTAINER}}[5m]))`, legend: '{{pod}}/{{container}} used (cores)' },
          { expr: `sum by (pod, container) (kube_pod_container_resource_requests{resource="cpu", ${POD}})`, legend: '{{pod}}/{{container}} request' },
          { expr: `sum by (pod, container) (kube_pod_container_resource_limits{resource="cpu", ${POD}})`, legend: '{{pod}}/{{container}} limit' },
        ],
      },
      {
        title: 'Memory working set vs limit',
        unit: 'bytes',
        description: 'Past its limit a container is OOMKilled.',
        queries: [
          { expr: `sum by (pod, container) (container_memory_working_set_bytes{${CONTAINER}})`, legend: '{{pod}}/{{container}} working set' },
          { expr: `sum by (pod, container) (kube_pod_container_resource_limits{resource="memory", ${POD}})`, legend: '{{pod}}/{{container}} limit' },
        ],
      },
      {
        title: 'CPU throttling',
        unit: 'percentunit',
        description: 'Share of CPU periods in which the container hit its CPU limit.',
        queries: [
          {
            expr: `sum by (pod, container) (increase(container_cpu_cfs_throttled_periods_total{${CONTAINER}}[5m])) / sum by (pod, container) (increase(container_cpu_cfs_periods_total{${CONTAINER}}[5m]))`,
            legend: '{{pod}}/{{container}}',
          },
        ],
      },
      {
        title: 'Network',
        unit: 'Bps',
        queries: [
          { expr: `sum by (pod) (rate(container_network_receive_bytes_total{${POD}}[5m]))`, legend: '{{pod}} received' },
          { expr: `sum by (pod) (rate(container_network_transmit_bytes_total{${POD}}[5m]))`, legend: '{{pod}} sent' },
        ],
      },
    ],
  });
}
