// config.alloy as typed statements: the same pipeline as plgkit's Promtail (this node's pods only, the same labels,
// the runtime's log format per container, positions kept across restarts, pushed to the same Loki).
// Components: https://grafana.com/docs/alloy/latest/reference/components/
import {
  type CollectorRule,
  type CollectorStage,
  collectorRules,
  collectorStages,
  goDuration,
  LOG_DELIVERY,
  NODE_NAME_ENV,
  STACK,
} from '@plgkit/core';
import type { ResolvedAlloyOptions } from './options.js';
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

export const CONFIG_FILE = 'config.alloy';
/** Alloy's HTTP server: /metrics, /-/ready, /-/healthy. Upstream's default port. */
export const HTTP_PORT = STACK.alloy.ports['http-metrics'];
/** Where Alloy keeps component state, `loki.source.file`'s positions among it; a hostPath, so a restart resumes. */
export const STORAGE_DIR = '/var/lib/alloy/data';
export const STORAGE_HOST_DIR = '/var/lib/alloy';
/** Core's NODE_NAME_ENV, set from the pod's `spec.nodeName`. */
const nodeName = call('sys.env', NODE_NAME_ENV);

/** A shared pipeline's relabel rule as a `rule` block; the own node is `sys.env("HOSTNAME")`. */
export function renderRule(r: CollectorRule<Value>): Block {
  return block(
    'rule',
    Object.entries(r).map(([k, v]) =>
      attr(k, Array.isArray(v) ? [...v] : (v as Value)),
    ),
  );
}

const STAGE_BLOCKS = { docker: 'stage.docker', cri: 'stage.cri' } as const;

/** The shared pipeline's stages as `stage.*` blocks. */
export function renderStage(stage: CollectorStage): Block {
  if ('parse' in stage) return block(STAGE_BLOCKS[stage.parse], []);
  if ('replace' in stage)
    return block('stage.replace', [
      attr('expression', stage.replace.expression),
      attr('replace', stage.replace.replace),
    ]);
  if ('labelDrop' in stage)
    return block('stage.label_drop', [attr('values', [...stage.labelDrop])]);
  return block('stage.match', [
    attr('selector', stage.match.selector),
    ...stage.match.stages.map(renderStage),
  ]);
}

/** The push to Loki, with core's retries (its queue's 15 s drain on stop is fixed: see core's log-delivery.ts). */
export function lokiEndpoint(url: string, d = LOG_DELIVERY): Block {
  return block('endpoint', [
    attr('url', url),
    attr('remote_timeout', goDuration(d.timeoutSeconds)),
    attr('min_backoff_period', goDuration(d.minBackoffSeconds)),
    attr('max_backoff_period', goDuration(d.maxBackoffSeconds)),
    attr('max_backoff_retries', d.maxRetries),
  ]);
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
        ...collectorRules<Value>(o.runtime, nodeName).map(renderRule),
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
        ...collectorStages(o.runtime).map(renderStage),
      ],
      'pods',
    ),
    block('loki.write', [lokiEndpoint(o.lokiUrl)], 'default'),
  ];
}
