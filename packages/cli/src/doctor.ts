import { type KubeObject, LOG_COLLECTORS, STACK } from '@plgkit/core';
import { parse } from 'yaml';
import { type KubectlTarget, kubectlSync } from './kubectl.js';

/** One tool plgkit needs, and whether this machine has it. */
export interface ToolCheck {
  readonly tool: string;
  readonly ok: boolean;
  /** The version found, or what is wrong. */
  readonly detail: string;
  /** What to do when it is not ok. */
  readonly hint?: string;
}

const major = (version: string) => Number(/^v?(\d+)/.exec(version)?.[1] ?? NaN);

export function checkNode(version = process.version): ToolCheck {
  return major(version) >= 20
    ? { tool: 'node', ok: true, detail: version }
    : {
        tool: 'node',
        ok: false,
        detail: `${version}, need 20 or newer`,
        hint: 'install Node.js 20 or newer (https://nodejs.org)',
      };
}

/** `kubectl version --client -o json` as kubectl prints it. */
export interface KubectlVersion {
  clientVersion?: { gitVersion?: string };
  kustomizeVersion?: string;
}

/** kubectl and its built-in kustomize (v5 for `labels`, `patches` and `components` as plgkit writes them). */
export function checkKubectl(
  read: () => KubectlVersion | undefined = readKubectlVersion,
): ToolCheck[] {
  const version = read();
  if (!version) {
    return [
      {
        tool: 'kubectl',
        ok: false,
        detail: 'not found on PATH',
        hint: 'install kubectl 1.27 or newer (https://kubernetes.io/docs/tasks/tools/)',
      },
      {
        tool: 'kustomize (in kubectl)',
        ok: false,
        detail: 'no kubectl',
        hint: 'comes with kubectl 1.27 or newer',
      },
    ];
  }
  const kustomize = version.kustomizeVersion ?? 'unknown';
  return [
    {
      tool: 'kubectl',
      ok: true,
      detail: version.clientVersion?.gitVersion ?? 'unknown version',
    },
    major(kustomize) >= 5
      ? { tool: 'kustomize (in kubectl)', ok: true, detail: kustomize }
      : {
          tool: 'kustomize (in kubectl)',
          ok: false,
          detail: `${kustomize}, need v5`,
          hint: 'upgrade kubectl to 1.27 or newer, which has kustomize v5',
        },
  ];
}

function readKubectlVersion(): KubectlVersion | undefined {
  try {
    return JSON.parse(
      kubectlSync({}, ['version', '--client', '-o', 'json'], true),
    ) as KubectlVersion;
  } catch {
    return undefined;
  }
}

export function doctor(): ToolCheck[] {
  return [checkNode(), ...checkKubectl()];
}

// ---- The cluster's runtimes against an overlay's collector pipeline ---------------------------------------------

/** What a node runs, from `status.nodeInfo.containerRuntimeVersion` (`containerd://1.7.27`, `docker://28.4.0`). */
export interface NodeRuntime {
  readonly node: string;
  readonly runtimeVersion: string;
}

/** The log pipeline an overlay's collector applies: one runtime's, or `auto` (each container's own). */
export type Pipeline = 'docker' | 'containerd' | 'auto';

/** The log format a runtime writes: docker's JSON files, or the CRI format of containerd and CRI-O. */
export function runtimeFamily(
  runtimeVersion: string,
): 'docker' | 'containerd' | undefined {
  const scheme = /^([\w-]+):\/\//.exec(runtimeVersion)?.[1];
  if (scheme === 'docker') return 'docker';
  if (scheme === 'containerd' || scheme === 'cri-o') return 'containerd';
  return undefined;
}

/** Whether a node's runtime suits the pipeline, as a doctor line. */
export function checkNodeRuntime(
  n: NodeRuntime,
  pipeline: Pipeline | undefined,
): ToolCheck {
  const family = runtimeFamily(n.runtimeVersion);
  const tool = `node ${n.node}`;
  if (!family)
    return {
      tool,
      ok: false,
      detail: `runtime ${n.runtimeVersion || 'unknown'}`,
      hint: 'plgkit reads docker, containerd and CRI-O logs only',
    };
  if (!pipeline) {
    const fits =
      family === 'docker'
        ? 'overlays/minikube (auto) or overlays/minikube-docker'
        : 'overlays/minikube (auto) or overlays/containerd';
    return {
      tool,
      ok: true,
      detail: `runtime ${n.runtimeVersion}: fits ${fits}`,
    };
  }
  if (pipeline === 'auto' || pipeline === family)
    return {
      tool,
      ok: true,
      detail: `runtime ${n.runtimeVersion}: the overlay's ${pipeline} log pipeline fits`,
    };
  return {
    tool,
    ok: false,
    detail: `runtime ${n.runtimeVersion}, but the overlay's log pipeline is ${pipeline}'s`,
    hint:
      family === 'docker'
        ? "lines would keep docker's JSON wrapper, or the pod would not start without /var/lib/docker; use the auto or docker Component of Promtail"
        : 'lines would keep the CRI prefix (`<time> stdout F`); use the auto or containerd Component of Promtail',
  };
}

interface PromtailStages {
  scrape_configs?: Array<{
    pipeline_stages?: Array<
      Record<string, { stages?: Array<Record<string, unknown>> }>
    >;
  }>;
}

/** The pipeline of a rendered Promtail config: a `match` per runtime is auto, else its one parse stage's runtime. */
export function promtailPipeline(config: PromtailStages): Pipeline | undefined {
  const stages = (config.scrape_configs ?? []).flatMap(
    (j) => j.pipeline_stages ?? [],
  );
  if (
    stages.some(
      (s) =>
        s.match &&
        (s.match.stages ?? []).some((x) => 'docker' in x || 'cri' in x),
    )
  )
    return 'auto';
  if (stages.some((s) => 'docker' in s)) return 'docker';
  if (stages.some((s) => 'cri' in s)) return 'containerd';
  return undefined;
}

/** Alloy's pipeline, from its config.alloy as plgkit writes it: `stage.match` per runtime, or one parsing stage. */
export function alloyPipeline(config: string): Pipeline | undefined {
  const docker = /^\s*stage\.docker\b/m.test(config);
  const cri = /^\s*stage\.cri\b/m.test(config);
  if (docker && cri && /^\s*stage\.match\b/m.test(config)) return 'auto';
  if (docker) return 'docker';
  if (cri) return 'containerd';
  return undefined;
}

/** A collector's log pipeline from its ConfigMap's files: Promtail's promtail.yaml or Alloy's config.alloy. */
export function collectorPipeline(
  files: Readonly<Record<string, string>>,
): Pipeline | undefined {
  if (files['promtail.yaml'] !== undefined)
    return promtailPipeline(parse(files['promtail.yaml']) as PromtailStages);
  if (files['config.alloy'] !== undefined)
    return alloyPipeline(files['config.alloy']);
  return undefined;
}

/** The collectors' generated ConfigMaps (kustomize adds a hash to each name). */
const COLLECTOR_CONFIG_MAPS = LOG_COLLECTORS.map((c) => STACK[c].configMap!);

/** The log pipeline of a rendered overlay: its collector's ConfigMap's (Promtail or Alloy), or undefined when it has none. */
export function overlayPipeline(
  objects: readonly KubeObject[],
): Pipeline | undefined {
  const configs = objects.filter(
    (o) =>
      o.kind === 'ConfigMap' &&
      COLLECTOR_CONFIG_MAPS.some(
        (name) =>
          o.metadata.name === name || o.metadata.name.startsWith(`${name}-`),
      ),
  ) as Array<KubeObject<{ data?: Record<string, string> }>>;
  return configs
    .map((c) => collectorPipeline(c.data ?? {}))
    .find((p) => p !== undefined);
}

/** Each node's runtime, or undefined when no cluster answers within a few seconds. */
export function readNodeRuntimes(
  target: KubectlTarget = {},
): NodeRuntime[] | undefined {
  try {
    const out = kubectlSync(
      target,
      ['get', 'nodes', '-o', 'json', '--request-timeout=5s'],
      true,
    );
    const nodes = (
      JSON.parse(out) as {
        items: Array<{
          metadata: { name: string };
          status?: { nodeInfo?: { containerRuntimeVersion?: string } };
        }>;
      }
    ).items;
    return nodes.map((n) => ({
      node: n.metadata.name,
      runtimeVersion: n.status?.nodeInfo?.containerRuntimeVersion ?? '',
    }));
  } catch {
    return undefined;
  }
}
