// config.alloy as typed statements: the same pipeline as plgkit's Promtail (this node's pods only, the same labels,
// the runtime's log format per container, positions kept across restarts, pushed to the same Loki).
// Components: https://grafana.com/docs/alloy/latest/reference/components/
import {
  DOCKER_CONTAINERS_DIR,
  POD_LOGS_DIR,
  RUNTIME_LABEL,
  STACK,
} from '@plgkit/core';
import type { ResolvedAlloyOptions, Runtime } from './options.js';

export { DOCKER_CONTAINERS_DIR, POD_LOGS_DIR, RUNTIME_LABEL };

import {
  add,
  attr,
  type Block,
  block,
  call,
  ref,
  type Statement,
  type Value,
} from './syntax.js';

export const CONFIG_DIR = '/etc/alloy';
export const CONFIG_FILE = 'config.alloy';
/** Alloy's HTTP server: /metrics, /-/ready, /-/healthy. Upstream's default port. */
export const HTTP_PORT = STACK.alloy.ports['http-metrics'];
/** Where Alloy keeps component state, `loki.source.file`'s positions among it; a hostPath, so a restart resumes. */
export const STORAGE_DIR = '/var/lib/alloy/data';
export const STORAGE_HOST_DIR = '/var/lib/alloy';
/** Set from the pod's `spec.nodeName`; read with `sys.env`. */
export const NODE_NAME_ENV = 'HOSTNAME';

const nodeName = call('sys.env', NODE_NAME_ENV);

/** One `rule` of `discovery.relabel`, with Prometheus's relabeling fields. */
interface Rule {
  source_labels?: string[];
  separator?: string;
  regex?: Value;
  target_label?: string;
  replacement?: string;
  action?: 'replace' | 'keep' | 'drop' | 'labeldrop';
}

const rule = (r: Rule): Block =>
  block(
    'rule',
    Object.entries(r).map(([k, v]) => attr(k, v as Value)),
  );

/** Keep only this node's pods, label them as Promtail does, and point `__path__` at their files. */
export function podRules(runtime: Runtime): Rule[] {
  return [
    {
      source_labels: ['__meta_kubernetes_pod_node_name'],
      regex: nodeName,
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
    {
      source_labels: [
        '__meta_kubernetes_pod_uid',
        '__meta_kubernetes_pod_container_name',
      ],
      separator: '/',
      regex: '(.+)',
      replacement: `${POD_LOGS_DIR}/*$1/*.log`,
      target_label: '__path__',
    },
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
 * docker's `log` field keeps the program's newline and `stage.docker` passes it on: cut it, so the line is as
 * written. Lines docker split at 16 KiB stay in pieces (as with Promtail, grafana/loki#2281).
 */
export function dockerStages(): Block[] {
  return [
    block('stage.docker', []),
    block('stage.replace', [attr('expression', '(\\n)$'), attr('replace', '')]),
  ];
}

export function pipelineStages(runtime: Runtime): Block[] {
  if (runtime === 'docker') return dockerStages();
  if (runtime === 'containerd') return [block('stage.cri', [])];
  // A selector must have a matcher that cannot match the empty value (LogQL), hence the regex for CRI runtimes.
  return [
    block('stage.match', [
      attr('selector', `{${RUNTIME_LABEL}="docker"}`),
      ...dockerStages(),
    ]),
    block('stage.match', [
      attr('selector', `{${RUNTIME_LABEL}=~"containerd|cri-o"}`),
      block('stage.cri', []),
    ]),
    block('stage.label_drop', [attr('values', [RUNTIME_LABEL])]),
  ];
}

export function alloyConfig(o: ResolvedAlloyOptions): Statement[] {
  return [
    // The field selector asks the API server for this node's pods only; the keep rule enforces it.
    block(
      'discovery.kubernetes',
      [
        attr('role', 'pod'),
        block('selectors', [
          attr('role', 'pod'),
          attr('field', add('spec.nodeName=', nodeName)),
        ]),
      ],
      'pods',
    ),
    block(
      'discovery.relabel',
      [
        attr('targets', ref('discovery.kubernetes.pods.targets')),
        ...podRules(o.runtime).map(rule),
      ],
      'pods',
    ),
    block(
      'local.file_match',
      [attr('path_targets', ref('discovery.relabel.pods.output'))],
      'pods',
    ),
    block(
      'loki.source.file',
      [
        attr('targets', ref('local.file_match.pods.targets')),
        attr('forward_to', [ref('loki.process.pods.receiver')]),
      ],
      'pods',
    ),
    block(
      'loki.process',
      [
        attr('forward_to', [ref('loki.write.default.receiver')]),
        ...pipelineStages(o.runtime),
      ],
      'pods',
    ),
    block(
      'loki.write',
      [block('endpoint', [attr('url', o.lokiUrl)])],
      'default',
    ),
  ];
}
