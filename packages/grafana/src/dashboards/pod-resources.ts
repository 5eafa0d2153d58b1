import { type Dashboard, dashboard, PROMETHEUS, variable } from './model.js';

// The kubelet's resource metrics and cAdvisor per container, next to the requests and limits kube-state-metrics
// reports for the same containers. Where docker (cri-dockerd) leaves cAdvisor's container series unlabelled, its
// pod-level throttling and the node's network stand in (see cadvisorMetricRelabels in @plgkit/prometheus).
const POD = 'namespace=~"$namespace", pod=~"$pod"';
const CONTAINER = `${POD}, container!=""`;

/** Share of CPU periods throttled, by pod and container, over the series `selector` picks. */
const throttled = (selector: string): string =>
  `sum by (pod, container) (increase(container_cpu_cfs_throttled_periods_total{${selector}}[5m])) / sum by (pod, container) (increase(container_cpu_cfs_periods_total{${selector}}[5m]))`;

/** Per pod where cAdvisor has the pod's network namespace; else, on docker, the node's own interfaces. */
const network = (direction: 'receive' | 'transmit'): string => {
  const metric = `container_network_${direction}_bytes_total`;
  return (
    `sum by (pod) (rate(${metric}{${POD}}[5m])) or label_join(sum by (node, interface) (rate(${metric}{id="/"}[5m])), "pod", " ", "node", "interface")` +
    ` unless on (node) group by (node) (${metric}{pod!=""})`
  );
};

export const POD_RESOURCES_UID = 'plgkit-pod-resources';

/** Which pod uses what: CPU, memory against limits, CPU throttling and network, per container. */
export function podResourcesDashboard(): Dashboard {
  return dashboard({
    uid: POD_RESOURCES_UID,
    title: 'Pod resources',
    description:
      'CPU, memory working set against limits, CPU throttling and network, per pod and container.',
    variables: [
      variable(
        'namespace',
        PROMETHEUS,
        'label_values(kube_pod_info, namespace)',
      ),
      variable(
        'pod',
        PROMETHEUS,
        'label_values(kube_pod_info{namespace=~"$namespace"}, pod)',
      ),
    ],
    panels: [
      {
        title: 'CPU',
        description:
          "CPU cores each container uses (the kubelet's resource metrics), against its request and limit. Near the limit: it is throttled; see CPU throttling.",
        unit: 'short',
        queries: [
          {
            expr: `sum by (pod, container) (rate(container_cpu_usage_seconds_total{${CONTAINER}}[5m]))`,
            legend: '{{pod}}/{{container}} used (cores)',
          },
          {
            expr: `sum by (pod, container) (kube_pod_container_resource_requests{resource="cpu", ${POD}})`,
            legend: '{{pod}}/{{container}} request',
          },
          {
            expr: `sum by (pod, container) (kube_pod_container_resource_limits{resource="cpu", ${POD}})`,
            legend: '{{pod}}/{{container}} limit',
          },
        ],
      },
      {
        title: 'Memory working set vs limit',
        unit: 'bytes',
        description:
          "Memory each container holds (its working set) against its limit. Past the limit it is OOMKilled: raise the limit (the README's Change sizes; plgkit check prints the command).",
        queries: [
          {
            expr: `sum by (pod, container) (container_memory_working_set_bytes{${CONTAINER}})`,
            legend: '{{pod}}/{{container}} working set',
          },
          {
            expr: `sum by (pod, container) (kube_pod_container_resource_limits{resource="memory", ${POD}})`,
            legend: '{{pod}}/{{container}} limit',
          },
        ],
      },
      {
        title: 'CPU throttling',
        unit: 'percentunit',
        description:
          'Share of CPU periods in which the container hit its CPU limit. On docker, per pod (`pod/*`): its containers have no labels there.',
        queries: [
          {
            expr: `${throttled(CONTAINER)} or label_replace(${throttled(`${POD}, container=""`)}, "container", "*", "container", "") unless on (pod) ${throttled(CONTAINER)}`,
            legend: '{{pod}}/{{container}}',
          },
        ],
      },
      {
        title: 'Network',
        unit: 'Bps',
        description:
          "Per pod. On docker the kubelet reports no pod's network, so each node's interfaces show instead (`node interface`).",
        queries: [
          { expr: network('receive'), legend: '{{pod}} received' },
          { expr: network('transmit'), legend: '{{pod}} sent' },
        ],
      },
    ],
  });
}
