import { LOGS_UID } from './logs.js';
import {
  type Dashboard,
  type DataLink,
  dashboard,
  PROMETHEUS,
  variable,
} from './model.js';
import { POD_RESOURCES_UID } from './pod-resources.js';

// Which namespace, and which pod in it, uses the cluster: CPU and memory from the kubelet's resource metrics (right
// on every runtime), restarts from kube-state-metrics. Each top pod links to its resources and its logs.
const NS = 'namespace=~"$namespace"';
const CONTAINER = `${NS}, container!=""`;

/** From a clicked pod to its own dashboards, in the same time range. */
const POD_LINKS: DataLink[] = [
  {
    title: 'Resources of ${__field.labels.pod}',
    uid: POD_RESOURCES_UID,
    variables: ['namespace', 'pod'],
  },
  {
    title: 'Logs of ${__field.labels.pod}',
    uid: LOGS_UID,
    variables: ['namespace', 'pod'],
  },
];

export function namespacesDashboard(): Dashboard {
  return dashboard({
    uid: 'plgkit-namespaces',
    title: 'Namespaces and top pods',
    description:
      'CPU and memory per namespace, and the pods that use the most CPU and memory and restart most, each linked to its resources and logs.',
    variables: [
      variable(
        'namespace',
        PROMETHEUS,
        'label_values(kube_pod_info, namespace)',
      ),
    ],
    panels: [
      {
        title: 'CPU by namespace',
        unit: 'short',
        description:
          'CPU cores the containers of each namespace use. One namespace taking most of a node: its top pods are below.',
        queries: [
          {
            expr: `sum by (namespace) (rate(container_cpu_usage_seconds_total{${CONTAINER}}[5m]))`,
            legend: '{{namespace}}',
          },
        ],
      },
      {
        title: 'Memory by namespace',
        unit: 'bytes',
        description:
          "Memory (working set) the containers of each namespace hold. Near the node's capacity the kernel starts killing containers.",
        queries: [
          {
            expr: `sum by (namespace) (container_memory_working_set_bytes{${CONTAINER}})`,
            legend: '{{namespace}}',
          },
        ],
      },
      {
        type: 'bargauge',
        title: 'Top pods by CPU',
        unit: 'short',
        width: 8,
        description:
          'The ten pods using the most CPU cores. Click one for its resources (is it throttled at its limit?) or its logs.',
        links: POD_LINKS,
        queries: [
          {
            expr: `topk(10, sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{${CONTAINER}}[5m])))`,
            legend: '{{namespace}}/{{pod}}',
          },
        ],
      },
      {
        type: 'bargauge',
        title: 'Top pods by memory',
        unit: 'bytes',
        width: 8,
        description:
          'The ten pods holding the most memory. Click one for its resources: a container near its limit will be OOMKilled.',
        links: POD_LINKS,
        queries: [
          {
            expr: `topk(10, sum by (namespace, pod) (container_memory_working_set_bytes{${CONTAINER}}))`,
            legend: '{{namespace}}/{{pod}}',
          },
        ],
      },
      {
        type: 'bargauge',
        title: 'Top pods by restarts',
        unit: 'short',
        width: 8,
        description:
          "The ten pods whose containers restarted most since they were created, 0s included. Click one for its logs; kubectl logs --previous shows a crashed container's last lines.",
        links: POD_LINKS,
        queries: [
          {
            expr: `topk(10, sum by (namespace, pod) (kube_pod_container_status_restarts_total{${NS}}))`,
            legend: '{{namespace}}/{{pod}}',
          },
        ],
      },
    ],
  });
}
