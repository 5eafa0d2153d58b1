// The log pipeline every plgkit collector runs, as data: which pods it keeps and how it labels them (relabel rules),
// and how it parses each line (stages). Promtail renders it as promtail.yaml, Alloy as config.alloy; neither holds a
// copy of its own.
import { POD_LOGS_DIR, RUNTIME_LABEL, type Runtime } from './log-collector.js';

/**
 * One relabel rule, with Prometheus's relabeling fields. `N` is how the collector's config spells its own node name,
 * read from its environment (core's NODE_NAME_ENV) in its own syntax.
 */
export interface CollectorRule<N = string> {
  readonly source_labels?: readonly string[];
  readonly separator?: string;
  readonly regex?: string | N;
  readonly target_label?: string;
  readonly replacement?: string;
  readonly action?: 'replace' | 'keep' | 'drop';
}

/** How lines are parsed: by format, rewritten, under a stream selector, or a helper label dropped. */
export type CollectorStage =
  | { readonly parse: 'docker' | 'cri' }
  | {
      readonly replace: {
        readonly expression: string;
        readonly replace: string;
      };
    }
  | {
      readonly match: {
        readonly selector: string;
        readonly stages: readonly CollectorStage[];
      };
    }
  | { readonly labelDrop: readonly string[] };

/** `kubernetes.io/config.mirror`, as service discovery spells an annotation's name in a label. */
const MIRROR_ANNOTATION = 'kubernetes_io_config_mirror';

/** Keep only this node's pods (`ownNode`: the config's expression for its node name), label them, and point
 *  `__path__` at their files. */
export function collectorRules<N>(
  runtime: Runtime,
  ownNode: N,
): CollectorRule<N>[] {
  return [
    {
      source_labels: ['__meta_kubernetes_pod_node_name'],
      regex: ownNode,
      action: 'keep',
    },
    {
      source_labels: ['__meta_kubernetes_namespace'],
      target_label: 'namespace',
    },
    { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
    {
      source_labels: ['__meta_kubernetes_pod_container_name'],
      target_label: 'container',
    },
    {
      source_labels: ['__meta_kubernetes_pod_node_name'],
      target_label: 'node',
    },
    // `app` is the recommended label if set, else the older `app` label.
    {
      source_labels: [
        '__meta_kubernetes_pod_label_app_kubernetes_io_name',
        '__meta_kubernetes_pod_label_app',
      ],
      separator: ';',
      regex: ';*([^;]+);*.*',
      target_label: 'app',
    },
    // The kubelet names a pod's log directory by the pod's UID; a static pod's (the control plane's, on minikube and
    // any kubeadm node) by its own UID, which its mirror pod in the API carries as the `kubernetes.io/config.mirror`
    // annotation while its `uid` is another. So the mirror annotation if there is one ($1), else the UID ($2).
    {
      source_labels: [
        `__meta_kubernetes_pod_annotation_${MIRROR_ANNOTATION}`,
        '__meta_kubernetes_pod_uid',
        '__meta_kubernetes_pod_container_name',
      ],
      separator: '/',
      regex: '(?:([^/]+)/[^/]*|/([^/]+))/(.+)',
      replacement: `${POD_LOGS_DIR}/*$1$2/$3/*.log`,
      target_label: '__path__',
    },
    // `docker://0a1b…` → `container_runtime="docker"`, for `auto`'s stages to pick their format.
    ...(runtime === 'auto'
      ? [
          {
            source_labels: ['__meta_kubernetes_pod_container_id'],
            regex: '([a-z-]+)://.+',
            target_label: RUNTIME_LABEL,
          },
        ]
      : []),
  ];
}

/**
 * docker's `log` field keeps the newline the program wrote, and the docker stage passes it on (the CRI format has
 * none), so it is cut: the line in Loki is the line as written. Docker splits lines over 16 KiB into entries without
 * it; neither collector can join those (grafana/loki#2281), so they arrive as pieces, each unchanged.
 */
function dockerStages(): CollectorStage[] {
  return [
    { parse: 'docker' },
    { replace: { expression: '(\\n)$', replace: '' } },
  ];
}

/** How `runtime`'s lines are parsed; `auto` picks the format per container from the runtime label. */
export function collectorStages(runtime: Runtime): CollectorStage[] {
  if (runtime === 'docker') return dockerStages();
  if (runtime === 'containerd') return [{ parse: 'cri' }];
  // A selector must have a matcher that cannot match the empty value (LogQL), hence the regex for CRI runtimes.
  return [
    {
      match: {
        selector: `{${RUNTIME_LABEL}="docker"}`,
        stages: dockerStages(),
      },
    },
    {
      match: {
        selector: `{${RUNTIME_LABEL}=~"containerd|cri-o"}`,
        stages: [{ parse: 'cri' }],
      },
    },
    { labelDrop: [RUNTIME_LABEL] },
  ];
}
