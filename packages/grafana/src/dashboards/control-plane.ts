import { LOGS_UID } from './logs.js';
import { type Dashboard, dashboard, LOKI } from './model.js';

// The control plane as kubeadm (and so minikube) runs it: static pods in kube-system, one container each, named as
// kubeadm names them (cmd/kubeadm/app/constants: Etcd, KubeAPIServer, KubeControllerManager, KubeScheduler).
// The API server's own metrics come from the `kubernetes-apiservers` job (the families it keeps, APISERVER_KEPT_FAMILIES);
// CoreDNS's from its `kube-dns` Service, which kubeadm annotates `prometheus.io/scrape`. kube-scheduler and
// kube-controller-manager listen on 127.0.0.1 on kubeadm and minikube: they are shown by their pods and logs.
export const CONTROL_PLANE_CONTAINERS = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
] as const;

const CONTAINERS = `namespace="kube-system", container=~"${CONTROL_PLANE_CONTAINERS.join('|')}"`;
/** A static pod's mirror is named `<container>-<node>`; kube_pod_status_ready has no container label. */
const PODS = `namespace="kube-system", pod=~"(${CONTROL_PLANE_CONTAINERS.join('|')})-.+"`;
/** Long-running requests (watches, exec and port-forward) last as long as the client wants, not as the server works. */
const SHORT_REQUESTS = 'verb!~"WATCH|CONNECT"';

export function controlPlaneDashboard(): Dashboard {
  return dashboard({
    uid: 'plgkit-control-plane',
    title: 'Control plane',
    description:
      "The API server's requests, errors and latency, what etcd stores, the control plane's pods and logs, and the cluster DNS.",
    variables: [],
    panels: [
      {
        title: 'API server requests by verb',
        unit: 'reqps',
        description:
          'Requests per second the API server answers, by verb. A climb with nothing deploying: a controller or operator looping; the code panel shows whether it is failing.',
        queries: [
          {
            expr: 'sum by (verb) (rate(apiserver_request_total[5m]))',
            legend: '{{verb}}',
          },
        ],
      },
      {
        title: 'API server requests by code',
        unit: 'reqps',
        description:
          'The same requests by HTTP status. A few 409 and 404 are normal (controllers racing, objects already gone); a steady stream of 403 is a missing RBAC grant, and any 5xx is the server failing.',
        queries: [
          {
            expr: 'sum by (code) (rate(apiserver_request_total[5m]))',
            legend: '{{code}}',
          },
        ],
      },
      {
        type: 'stat',
        title: 'API server errors',
        unit: 'percentunit',
        width: 6,
        description:
          "The share of requests answered 5xx over 5 minutes. Above 0 for long: the API server's logs (below) say why; etcd slow or down is the usual cause.",
        queries: [
          {
            // `or vector(0)`: no 5xx at all is 0 %, not "No data".
            expr: '(sum(rate(apiserver_request_total{code=~"5.."}[5m])) or vector(0)) / sum(rate(apiserver_request_total[5m]))',
          },
        ],
      },
      {
        type: 'stat',
        title: 'etcd database size',
        unit: 'bytes',
        width: 6,
        description:
          "The size of etcd's database, as the API server reads it. It grows with objects and their history; near etcd's quota (2 GiB by default) writes are refused.",
        queries: [{ expr: 'max(apiserver_storage_size_bytes)' }],
      },
      {
        title: 'API server requests in flight',
        unit: 'short',
        description:
          'Requests being served now, read-only and mutating. A plateau while clients time out: the server is saturated; see which verb climbed.',
        queries: [
          {
            expr: 'sum by (request_kind) (apiserver_current_inflight_requests)',
            legend: '{{request_kind}}',
          },
        ],
      },
      {
        title: 'API server latency by verb (mean)',
        unit: 's',
        description:
          'The mean time to answer a request, by verb, watches and exec left out. Reads above about a second: etcd is slow (its disk) or a list is huge (Objects stored, next).',
        queries: [
          {
            expr: `sum by (verb) (rate(apiserver_request_duration_seconds_sum{${SHORT_REQUESTS}}[5m])) / sum by (verb) (rate(apiserver_request_duration_seconds_count{${SHORT_REQUESTS}}[5m]))`,
            legend: '{{verb}}',
          },
        ],
      },
      {
        type: 'bargauge',
        title: 'Objects stored in etcd, top 10',
        unit: 'short',
        description:
          'The resources with the most objects in etcd. Thousands of events, replicasets or secrets slow every list of them: old ReplicaSets (revisionHistoryLimit) and finished Jobs (ttlSecondsAfterFinished) are the usual heap.',
        queries: [
          {
            expr: 'topk(10, max by (group, resource) (apiserver_resource_objects))',
            legend: '{{resource}}',
          },
        ],
      },
      {
        type: 'stat',
        title: 'Control plane pods ready',
        width: 12,
        description:
          'Each static pod of the control plane: 1 when Ready, 0 when not. At 0, kubectl -n kube-system describe pod says which probe fails, and its logs (below) why; on minikube its manifest is in /etc/kubernetes/manifests.',
        queries: [
          {
            expr: `max by (pod) (kube_pod_status_ready{${PODS}, condition="true"})`,
            legend: '{{pod}}',
          },
        ],
      },
      {
        type: 'bargauge',
        title: 'Control plane restarts',
        unit: 'short',
        description:
          "Restarts of each control plane container since its pod was made, 0 included. One that climbs is crash-looping: kubectl -n kube-system logs --previous shows its last lines; etcd's often mean a full disk.",
        queries: [
          {
            expr: `sum by (container) (kube_pod_container_status_restarts_total{${CONTAINERS}})`,
            legend: '{{container}}',
          },
        ],
      },
      {
        title: 'Control plane memory',
        unit: 'bytes',
        description:
          "The working set of each control plane container. They run without a memory limit on kubeadm and minikube, so one that keeps growing takes the node's memory from every pod.",
        queries: [
          {
            expr: `sum by (container) (container_memory_working_set_bytes{${CONTAINERS}})`,
            legend: '{{container}}',
          },
        ],
      },
      {
        title: 'Control plane CPU',
        unit: 'short',
        description:
          'CPU cores each control plane container uses. The API server busy while requests are flat: large lists or watches; etcd busy: compaction or many writes.',
        queries: [
          {
            expr: `sum by (container) (rate(container_cpu_usage_seconds_total{${CONTAINERS}}[5m]))`,
            legend: '{{container}}',
          },
        ],
      },
      {
        title: 'Control plane log lines by level',
        datasource: LOKI,
        unit: 'short',
        width: 24,
        description:
          "Lines each control plane pod wrote, by the level Loki found in them. A rise in error or warn: click the pod for its lines in the Logs dashboard. kube-scheduler's and kube-controller-manager's own metrics are not scraped (they listen on 127.0.0.1), so their logs are where they explain themselves.",
        links: [
          {
            title: 'Logs of ${__field.labels.pod}',
            uid: LOGS_UID,
            variables: ['namespace', 'pod'],
          },
        ],
        queries: [
          {
            expr: `sum by (namespace, pod, detected_level) (count_over_time({${CONTAINERS}} [$__auto]))`,
            legend: '{{pod}} {{detected_level}}',
          },
        ],
      },
      {
        title: 'DNS queries by type',
        unit: 'reqps',
        width: 8,
        description:
          'Queries per second CoreDNS answers, by record type. Many AAAA next to A is normal (clients ask both); a sudden climb is a pod resolving in a loop, often a name without its namespace tried against every search domain.',
        queries: [
          {
            expr: 'sum by (type) (rate(coredns_dns_requests_total[5m]))',
            legend: '{{type}}',
          },
        ],
      },
      {
        title: 'DNS responses by code',
        unit: 'reqps',
        width: 8,
        description:
          "CoreDNS's answers by response code. NXDOMAIN is a name that does not exist (a typo in a Service name, or search-domain tries); SERVFAIL means CoreDNS could not answer: its logs say why.",
        queries: [
          {
            expr: 'sum by (rcode) (rate(coredns_dns_responses_total[5m]))',
            legend: '{{rcode}}',
          },
        ],
      },
      {
        title: 'DNS latency (mean)',
        unit: 's',
        width: 8,
        description:
          'The mean time CoreDNS takes to answer. Cluster names answer in well under a millisecond; tens of milliseconds are queries forwarded outside the cluster, or CoreDNS short of CPU.',
        queries: [
          {
            expr: 'sum(rate(coredns_dns_request_duration_seconds_sum[5m])) / sum(rate(coredns_dns_request_duration_seconds_count[5m]))',
          },
        ],
      },
    ],
  });
}
