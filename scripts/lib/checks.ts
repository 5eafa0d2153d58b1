// What must hold on every rendered overlay, each a past outage. A check returns the problems it finds: none means
// it holds. Tests run each on every overlay, and on a deliberately broken copy to show it can fail.
import {
  type KubeObject,
  LOG_COLLECTORS,
  type LogCollectorKey,
  parseQuantity,
  SERVICE_ACCOUNT_DIR,
  STACK,
  toBytes,
} from '@plgkit/core';
import type { Container, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type {
  ClusterRole,
  ClusterRoleBinding,
} from 'kubernetes-types/rbac/v1.js';
import {
  canDo,
  findWorkload,
  mainContainer,
  mountedConfig,
  mountedYaml,
  podSpec,
  rulesOf,
  serviceProblem,
  volumeAt,
  type Workload,
  workloads,
} from '../../support/inspect.js';
import {
  DOCKER_EXCEPTION,
  RESTRICTED_EXCEPTIONS,
  restrictedViolations,
} from './pod-security.js';

export type Runtime = 'docker' | 'containerd' | 'auto';

/** What an overlay is for, which decides what its render must show. */
export interface OverlaySpec {
  readonly runtime: Runtime;
  /** Whether it may carry the documented development Grafana password (local minikube only). */
  readonly devCredentials: boolean;
}

/** The development password of the minikube overlays, documented in the README. */
export const DEV_PASSWORD = 'plgkit-dev';

export interface Check {
  readonly name: string;
  readonly run: (objects: readonly KubeObject[]) => string[];
}

const TOKEN = `${SERVICE_ACCOUNT_DIR}/token`;

interface ScrapeJob {
  job_name: string;
  scheme?: string;
  metrics_path?: string;
  authorization?: { credentials_file?: string };
  relabel_configs?: {
    source_labels?: string[];
    regex?: string;
    action?: string;
  }[];
  pipeline_stages?: Record<string, unknown>[];
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new MissingError(what);
  return value;
}

class MissingError extends Error {}

/** Runs a check body; a missing object or file is itself the problem. */
function check(
  name: string,
  body: (objects: readonly KubeObject[]) => (string | undefined | false)[],
): Check {
  return {
    name,
    run: (objects) => {
      try {
        return body(objects).filter((p): p is string => typeof p === 'string');
      } catch (e) {
        if (e instanceof MissingError) return [`missing: ${e.message}`];
        throw e;
      }
    },
  };
}

const prometheus = (o: readonly KubeObject[]) =>
  need(findWorkload(o, 'StatefulSet', 'prometheus'), 'StatefulSet prometheus');
const grafana = (o: readonly KubeObject[]) =>
  need(findWorkload(o, 'Deployment', 'grafana'), 'Deployment grafana');
const ns = (w: Workload) => w.metadata.namespace ?? 'default';

export const prometheusJobs = (o: readonly KubeObject[]) =>
  need(
    mountedYaml<{ scrape_configs: ScrapeJob[] }>(
      o,
      prometheus(o),
      '/etc/prometheus',
      'prometheus.yml',
    ),
    'prometheus.yml',
  ).scrape_configs;

/** Where Prometheus sends its alerts: each `host:port` of its `alerting.alertmanagers`. */
export const prometheusAlertmanagers = (o: readonly KubeObject[]): string[] =>
  (
    need(
      mountedYaml<{
        alerting?: {
          alertmanagers?: { static_configs?: { targets: string[] }[] }[];
        };
      }>(o, prometheus(o), '/etc/prometheus', 'prometheus.yml'),
      'prometheus.yml',
    ).alerting?.alertmanagers ?? []
  ).flatMap((a) => (a.static_configs ?? []).flatMap((c) => c.targets));

interface PromtailFile {
  positions?: { filename?: string };
  clients?: { url: string }[];
  scrape_configs?: ScrapeJob[];
}

interface DatasourcesFile {
  datasources?: {
    type: string;
    uid?: string;
    url: string;
    isDefault?: boolean;
  }[];
}
/** Grafana's provisioned datasources, from the file its pod mounts. */
export function grafanaDatasources(o: readonly KubeObject[]) {
  return (
    need(
      mountedYaml<DatasourcesFile>(
        o,
        grafana(o),
        '/etc/grafana/provisioning/datasources',
        'datasources.yaml',
      ),
      'datasources.yaml',
    ).datasources ?? []
  );
}

function grafanaDatasource(o: readonly KubeObject[], type: string) {
  const file = need(
    mountedYaml<DatasourcesFile>(
      o,
      grafana(o),
      '/etc/grafana/provisioning/datasources',
      'datasources.yaml',
    ),
    'datasources.yaml',
  );
  return need(
    file.datasources?.find((d) => d.type === type),
    `${type} datasource`,
  );
}

export const prometheusCanReadKubeletMetrics = check(
  'Prometheus ServiceAccount may get nodes/metrics (else kubelet scrapes are 403)',
  (o) => [
    !canDo(o, prometheus(o), '', 'nodes/metrics', 'get') &&
      "the ClusterRole bound to Prometheus's ServiceAccount does not grant get on nodes/metrics",
    ...['nodes', 'services', 'endpoints', 'pods'].map(
      (r) =>
        !canDo(o, prometheus(o), '', r, 'list') &&
        `Prometheus may not list ${r}`,
    ),
    !canDo(o, prometheus(o), 'discovery.k8s.io', 'endpointslices', 'list') &&
      'Prometheus may not list endpointslices',
  ],
);

export const cadvisorScrapedWithToken = check(
  'cAdvisor job scrapes the kubelet over https with the service-account token',
  (o) => {
    const job = need(
      prometheusJobs(o).find((j) => j.metrics_path === '/metrics/cadvisor'),
      'a job with metrics_path /metrics/cadvisor',
    );
    return [
      job.scheme !== 'https' &&
        `job ${job.job_name} uses ${job.scheme ?? 'http'}, the kubelet serves https`,
      job.authorization?.credentials_file !== TOKEN &&
        `job ${job.job_name} does not send the token ${TOKEN}`,
      podSpec(prometheus(o)).automountServiceAccountToken === false &&
        'Prometheus pods mount no service-account token',
    ];
  },
);

export const grafanaFindsPrometheus = check(
  'Grafana Prometheus datasource names the rendered Prometheus Service',
  (o) => {
    const ds = grafanaDatasource(o, 'prometheus');
    return [
      serviceProblem(o, ds.url, ns(grafana(o)), {
        service: 'prometheus',
        port: 9090,
      }),
      !ds.uid && 'the Prometheus datasource has no fixed uid',
      ds.isDefault !== true && 'the Prometheus datasource is not the default',
    ];
  },
);

export const grafanaFindsLoki = check(
  'Grafana Loki datasource names the rendered Loki Service',
  (o) => {
    const ds = grafanaDatasource(o, 'loki');
    return [
      serviceProblem(o, ds.url, ns(grafana(o)), {
        service: 'loki',
        port: 3100,
      }),
      !ds.uid && 'the Loki datasource has no fixed uid',
    ];
  },
);

function containerProblems(w: Workload, c: Container): (string | false)[] {
  const where = `${w.kind} ${w.metadata.name} container ${c.name}`;
  const tag = /^[^@]+:([^:/@]+)$/.exec(c.image ?? '')?.[1];
  return [
    !(c.resources?.requests?.cpu && c.resources.requests.memory) &&
      `${where} lacks cpu and memory requests`,
    !(c.resources?.limits?.cpu && c.resources.limits.memory) &&
      `${where} lacks cpu and memory limits`,
    !c.readinessProbe && `${where} has no readiness probe`,
    !c.livenessProbe && `${where} has no liveness probe`,
    !((tag && tag !== 'latest') || c.image?.includes('@sha256:')) &&
      `${where} image ${c.image} is not pinned to a version`,
  ];
}

export const containersAreSized = check(
  'every container has requests, limits, probes and a pinned image',
  (o) => [
    workloads(o).length === 0 && 'no workloads rendered',
    ...workloads(o).flatMap((w) =>
      podSpec(w).containers.flatMap((c) => containerProblems(w, c)),
    ),
  ],
);

/** The log collector as the checks see it, whichever the overlay runs: Promtail (promtail.yaml) or Alloy (config.alloy). */
interface CollectorView {
  readonly name: 'Promtail' | 'Alloy';
  readonly workload: Workload;
  /** Whether the node name reaches the config: Promtail expands ${HOSTNAME} only with -config.expand-env=true. */
  readonly expandsEnv: boolean;
  /** Scrape jobs (Promtail) or relabel components (Alloy) whose first rule does not keep this node's pods. */
  readonly notKeepingOwnNode: string[];
  readonly positionsDir?: string;
  readonly pushUrls: string[];
  readonly relabels: Array<{ source_labels?: string[]; target_label?: string }>;
  /** Parsing stages that apply to every line. */
  readonly stages: string[];
  /** Parsing stages under a match, as `<selector> <stage>`. */
  readonly matched: string[];
}

function promtailView(o: readonly KubeObject[], w: Workload): CollectorView {
  const file = need(
    mountedYaml<PromtailFile>(o, w, '/etc/promtail', 'promtail.yaml'),
    'promtail.yaml',
  );
  const jobs = file.scrape_configs ?? [];
  const top = jobs.flatMap((j) => j.pipeline_stages ?? []) as Array<
    Record<
      string,
      { selector?: string; stages?: Array<Record<string, unknown>> }
    >
  >;
  const positions = file.positions?.filename;
  return {
    name: 'Promtail',
    workload: w,
    expandsEnv: (
      need(mainContainer(w), 'promtail container').args ?? []
    ).includes('-config.expand-env=true'),
    notKeepingOwnNode: [
      ...(jobs.length === 0 ? ['(no scrape job)'] : []),
      ...jobs
        .filter((j) => {
          const first = j.relabel_configs?.[0];
          return !(
            first?.action === 'keep' &&
            first.source_labels?.join(';') ===
              '__meta_kubernetes_pod_node_name' &&
            first.regex === '${HOSTNAME}'
          );
        })
        .map((j) => `job ${j.job_name}`),
    ],
    positionsDir: positions?.slice(0, positions.lastIndexOf('/')),
    pushUrls: (file.clients ?? []).map((c) => c.url),
    relabels: jobs.flatMap(
      (j) =>
        (
          j as {
            relabel_configs?: Array<{
              source_labels?: string[];
              target_label?: string;
            }>;
          }
        ).relabel_configs ?? [],
    ),
    stages: top
      .flatMap((s) => Object.keys(s))
      .filter((k) => k === 'docker' || k === 'cri'),
    matched: top.flatMap((s) =>
      s.match
        ? (s.match.stages ?? []).flatMap((x) =>
            Object.keys(x).map((k) => `${s.match!.selector} ${k}`),
          )
        : [],
    ),
  };
}

/** The blocks of config.alloy as plgkit writes it (alloy fmt's layout: tab indents), with their depth. */
function alloyBlocks(
  text: string,
): Array<{ depth: number; name: string; body: string[] }> {
  const blocks: Array<{ depth: number; name: string; body: string[] }> = [];
  const open: Array<{ depth: number; name: string; body: string[] }> = [];
  for (const line of text.split('\n')) {
    const depth = /^\t*/.exec(line)![0].length;
    const head = /^\t*([a-z_.]+)(?: "[^"]*")? \{( \})?$/.exec(line);
    if (head) {
      const b = { depth, name: head[1]!, body: [] as string[] };
      blocks.push(b);
      for (const o of open) o.body.push(line);
      if (!head[2]) open.push(b);
    } else if (/^\t*\}$/.test(line)) open.pop();
    else for (const o of open) o.body.push(line);
  }
  return blocks;
}

const alloyString = (line: string | undefined) =>
  (line ? JSON.parse(/= (".*")$/.exec(line)?.[1] ?? 'null') : undefined) as
    | string
    | undefined;
const alloyStrings = (line: string | undefined) =>
  line
    ? (JSON.parse(/= (\[.*\])$/.exec(line)?.[1] ?? '[]') as string[])
    : undefined;
const attrLine = (body: readonly string[], name: string) =>
  body.find((l) => new RegExp(`^\\t*${name} +=`).test(l));

function alloyView(o: readonly KubeObject[], w: Workload): CollectorView {
  const text = need(
    mountedConfig(o, w, '/etc/alloy', 'config.alloy'),
    'config.alloy',
  );
  const blocks = alloyBlocks(text);
  const c = need(mainContainer(w), 'alloy container');
  const rules = blocks.filter((b) => b.name === 'rule');
  const first = rules[0];
  const keepsOwnNode =
    !!first &&
    alloyStrings(attrLine(first.body, 'source_labels'))?.join(';') ===
      '__meta_kubernetes_pod_node_name' &&
    /= sys\.env\("HOSTNAME"\)$/.test(attrLine(first.body, 'regex') ?? '') &&
    alloyString(attrLine(first.body, 'action')) === 'keep';
  const selectsOwnNode = blocks.some(
    (b) =>
      b.name === 'selectors' &&
      /= "spec\.nodeName=" \+ sys\.env\("HOSTNAME"\)$/.test(
        attrLine(b.body, 'field') ?? '',
      ),
  );
  const processDepth =
    blocks.find((b) => b.name === 'loki.process')?.depth ?? 0;
  const parse = (name: string) => name.replace('stage.', '');
  return {
    name: 'Alloy',
    workload: w,
    expandsEnv: /sys\.env\("HOSTNAME"\)/.test(text),
    notKeepingOwnNode: [
      ...(keepsOwnNode ? [] : ['discovery.relabel (its first rule)']),
      ...(selectsOwnNode ? [] : ['discovery.kubernetes (its field selector)']),
    ],
    positionsDir: (c.args ?? [])
      .find((a) => a.startsWith('--storage.path='))
      ?.slice('--storage.path='.length),
    pushUrls: blocks
      .filter((b) => b.name === 'endpoint')
      .map((b) => alloyString(attrLine(b.body, 'url'))!)
      .filter(Boolean),
    relabels: rules.map((r) => ({
      source_labels: alloyStrings(attrLine(r.body, 'source_labels')),
      target_label: alloyString(attrLine(r.body, 'target_label')),
    })),
    stages: blocks
      .filter(
        (b) =>
          b.depth === processDepth + 1 &&
          (b.name === 'stage.docker' || b.name === 'stage.cri'),
      )
      .map((b) => parse(b.name)),
    matched: blocks
      .filter((b) => b.name === 'stage.match')
      .flatMap((m) => {
        const selector = alloyString(attrLine(m.body, 'selector'));
        return blocks
          .filter(
            (b) =>
              b.depth === m.depth + 1 &&
              m.body.some((l) =>
                l.startsWith(`${'\t'.repeat(b.depth)}${b.name} `),
              ) &&
              (b.name === 'stage.docker' || b.name === 'stage.cri'),
          )
          .map((b) => `${selector} ${parse(b.name)}`);
      })
      .filter((v, i, all) => all.indexOf(v) === i),
  };
}

/** How the checks read each collector of the stack model. */
const COLLECTOR_VIEWS: Record<
  LogCollectorKey,
  (o: readonly KubeObject[], w: Workload) => CollectorView
> = {
  promtail: promtailView,
  alloy: alloyView,
};

/** The overlay's log collector: the one of the stack model's collectors whose DaemonSet it renders. */
export function collector(o: readonly KubeObject[]): CollectorView {
  for (const key of LOG_COLLECTORS) {
    const w = findWorkload(o, 'DaemonSet', STACK[key].name);
    if (w) return COLLECTOR_VIEWS[key](o, w);
  }
  throw new MissingError(
    `DaemonSet ${LOG_COLLECTORS.map((k) => STACK[k].name).join(' or ')}`,
  );
}

export const collectorCanListPods = check(
  'the log collector\'s ServiceAccount may list and watch pods (else "pods is forbidden")',
  (o) => {
    const { name, workload } = collector(o);
    return [
      !canDo(o, workload, '', 'pods', 'list') &&
        `the ClusterRole bound to ${name}'s ServiceAccount does not grant list on pods`,
      !canDo(o, workload, '', 'pods', 'watch') &&
        `the ClusterRole bound to ${name}'s ServiceAccount does not grant watch on pods`,
    ];
  },
);

export const collectorKnowsItsNode = check(
  "the log collector's HOSTNAME comes from spec.nodeName and reaches its config",
  (o) => {
    const view = collector(o);
    const c = need(mainContainer(view.workload), `${view.name} container`);
    const env = (c.env ?? []).find((e) => e.name === 'HOSTNAME');
    return [
      env?.valueFrom?.fieldRef?.fieldPath !== 'spec.nodeName' &&
        'HOSTNAME is not set from fieldRef spec.nodeName',
      !view.expandsEnv &&
        (view.name === 'Promtail'
          ? 'promtail runs without -config.expand-env=true, so ${HOSTNAME} stays literal'
          : 'config.alloy never reads sys.env("HOSTNAME")'),
    ];
  },
);

export const collectorKeepsOwnNode = check(
  'the log collector keeps only the pods of its own node',
  (o) =>
    collector(o).notKeepingOwnNode.map((where) =>
      where === '(no scrape job)'
        ? 'promtail.yaml has no scrape job'
        : `${where} does not keep only __meta_kubernetes_pod_node_name == this node`,
    ),
);

export const collectorPositionsOnNode = check(
  'the log collector keeps its positions on a hostPath volume',
  (o) => {
    const view = collector(o);
    const dir = need(view.positionsDir, `${view.name}'s positions directory`);
    const mounted = volumeAt(
      view.workload,
      need(mainContainer(view.workload), `${view.name} container`),
      dir,
    );
    return [
      !mounted?.volume.hostPath &&
        `the positions directory ${dir} is not on a hostPath volume`,
      mounted?.readOnly === true &&
        `the positions directory ${dir} is mounted read-only`,
    ];
  },
);

export const collectorShipsToLoki = check(
  'the log collector pushes to the rendered Loki Service',
  (o) => {
    const view = collector(o);
    return [
      view.pushUrls.length === 0 && `${view.name}'s config pushes nowhere`,
      ...view.pushUrls.flatMap((url) => [
        serviceProblem(o, url, ns(view.workload), {
          service: 'loki',
          port: 3100,
        }),
        !url.endsWith('/loki/api/v1/push') &&
          `${url} is not Loki's push endpoint /loki/api/v1/push`,
      ]),
    ];
  },
);

/**
 * Docker: /var/log/pods links into /var/lib/docker/containers, so that must be mounted and lines are docker JSON.
 * containerd: CRI lines, no docker path. auto: each container's stage picked by its runtime, and a docker mount
 * that does not stop the pod where the directory is missing.
 */
export function collectorMatchesRuntime(runtime: Runtime): Check {
  return check(`the log collector reads ${runtime} log files`, (o) => {
    const view = collector(o);
    const w = view.workload;
    const c = need(mainContainer(w), `${view.name} container`);
    const pods = volumeAt(w, c, '/var/log/pods');
    const docker = volumeAt(w, c, '/var/lib/docker/containers');
    const anyDockerPath = (podSpec(w).volumes ?? []).some((v) =>
      v.hostPath?.path.startsWith('/var/lib/docker'),
    );
    const { stages, matched } = view;
    const dockerMounted =
      docker?.volume.hostPath?.path === '/var/lib/docker/containers' &&
      docker.readOnly;
    const common = [
      !(pods?.volume.hostPath?.path === '/var/log/pods' && pods.readOnly) &&
        '/var/log/pods is not mounted read-only from the host',
    ];
    if (runtime === 'auto') {
      return [
        ...common,
        !dockerMounted &&
          '/var/lib/docker/containers is not mounted read-only at the same path (docker log symlinks lead nowhere)',
        dockerMounted &&
          docker.volume.hostPath?.type !== 'DirectoryOrCreate' &&
          `/var/lib/docker/containers must be DirectoryOrCreate, or ${view.name} cannot start on a containerd node`,
        !view.relabels.some(
          (r) =>
            r.source_labels?.includes('__meta_kubernetes_pod_container_id') &&
            r.target_label === 'container_runtime',
        ) &&
          'no label names the container runtime (from __meta_kubernetes_pod_container_id)',
        !matched.includes('{container_runtime="docker"} docker') &&
          'no docker stage for docker containers',
        !matched.includes('{container_runtime=~"containerd|cri-o"} cri') &&
          'no cri stage for containerd and CRI-O containers',
        ...stages.map(
          (k) =>
            `an unconditional ${k} stage garbles the other runtime's lines`,
        ),
      ];
    }
    const [want, other] =
      runtime === 'docker' ? ['docker', 'cri'] : ['cri', 'docker'];
    return [
      ...common,
      runtime === 'docker' &&
        !dockerMounted &&
        '/var/lib/docker/containers is not mounted read-only at the same path (docker log symlinks lead nowhere)',
      runtime === 'containerd' &&
        anyDockerPath &&
        'a /var/lib/docker path is mounted on a containerd node',
      !stages.includes(want) && `no ${want} pipeline stage`,
      stages.includes(other) &&
        `a ${other} pipeline stage on a ${runtime} node`,
    ];
  });
}

export const podsAreRestricted = check(
  'every pod meets Pod Security "restricted", but for the documented exceptions',
  (o) =>
    workloads(o).flatMap((w) => {
      const key = `${w.kind}/${w.metadata.name}`;
      const allowed = [
        ...(RESTRICTED_EXCEPTIONS[key] ?? []),
        ...(key === 'DaemonSet/promtail' || key === 'DaemonSet/alloy'
          ? [DOCKER_EXCEPTION]
          : []),
      ];
      return [
        ...restrictedViolations(podSpec(w))
          .filter((v) => !allowed.includes(v))
          .map((v) => `${key}: ${v}`),
        ...podSpec(w)
          .containers.filter(
            (c) => c.securityContext?.readOnlyRootFilesystem !== true,
          )
          .map(
            (c) => `${key}: container ${c.name} root filesystem is writable`,
          ),
        ...(podSpec(w).volumes ?? []).flatMap((v) => {
          const mount = podSpec(w)
            .containers.flatMap((c) => c.volumeMounts ?? [])
            .find((m) => m.name === v.name);
          // The collector's positions (Promtail's `positions`, Alloy's `storage`) are the one writable host path.
          return v.hostPath &&
            mount?.readOnly !== true &&
            v.name !== 'positions' &&
            v.name !== 'storage'
            ? [`${key}: host path ${v.hostPath.path} is writable`]
            : [];
        }),
      ];
    }),
);

const READ_VERBS = ['get', 'list', 'watch'];

export const rbacIsLeastPrivilege = check(
  'RBAC: read-only, no wildcards, no Secrets or ConfigMaps, each role bound to its own ServiceAccount',
  (o) => {
    const roles = o.filter(
      (x): x is KubeObject<ClusterRole> =>
        x.kind === 'ClusterRole' || x.kind === 'Role',
    );
    const bindings = o.filter(
      (x): x is KubeObject<ClusterRoleBinding> =>
        x.kind === 'ClusterRoleBinding' || x.kind === 'RoleBinding',
    );
    return [
      ...roles.flatMap((r) =>
        (r.rules ?? []).flatMap((rule) => [
          [
            ...(rule.apiGroups ?? []),
            ...(rule.resources ?? []),
            ...rule.verbs,
            ...(rule.nonResourceURLs ?? []),
          ].includes('*') && `${r.kind} ${r.metadata.name} uses a wildcard`,
          ...rule.verbs
            .filter((v) => !READ_VERBS.includes(v))
            .map((v) => `${r.kind} ${r.metadata.name} grants ${v}`),
          ...(rule.resources ?? [])
            .filter((x) => ['secrets', 'configmaps'].includes(x))
            .map((x) => `${r.kind} ${r.metadata.name} grants access to ${x}`),
        ]),
      ),
      ...bindings.flatMap((b) => {
        const s = b.subjects ?? [];
        const user = workloads(o).find(
          (w) =>
            podSpec(w).serviceAccountName === s[0]?.name &&
            w.metadata.namespace === s[0]?.namespace,
        );
        return [
          !(s.length === 1 && s[0]!.kind === 'ServiceAccount') &&
            `${b.kind} ${b.metadata.name} does not bind exactly one ServiceAccount`,
          s[0]?.name !== b.roleRef.name &&
            `${b.kind} ${b.metadata.name} binds role ${b.roleRef.name} to ${s[0]?.name}, another component`,
          !user &&
            `${b.kind} ${b.metadata.name} binds a ServiceAccount no workload uses`,
        ];
      }),
    ];
  },
);

export const tokensOnlyWhereNeeded = check(
  'service-account tokens are mounted only in pods that call the API',
  (o) =>
    workloads(o).flatMap((w) => {
      const spec = podSpec(w);
      const sa = o.find(
        (x) =>
          x.kind === 'ServiceAccount' &&
          x.metadata.name === spec.serviceAccountName &&
          x.metadata.namespace === w.metadata.namespace,
      ) as KubeObject<ServiceAccount> | undefined;
      const mounted =
        spec.automountServiceAccountToken ??
        sa?.automountServiceAccountToken ??
        true;
      const needed =
        rulesOf(
          o,
          w.metadata.namespace ?? 'default',
          spec.serviceAccountName ?? 'default',
        ).length > 0;
      return [
        !sa &&
          `${w.kind} ${w.metadata.name} uses ServiceAccount ${spec.serviceAccountName ?? 'default'}, which is not rendered`,
        mounted &&
          !needed &&
          `${w.kind} ${w.metadata.name} mounts a token it never uses`,
      ];
    }),
);

export const dataIsDurable = check(
  'Prometheus and Loki data live on PersistentVolumeClaims, one pod per volume, with time to flush',
  (o) => [
    ...(
      [
        ['prometheus', '/prometheus', 60],
        ['loki', '/loki', 30],
      ] as const
    ).flatMap(([name, path, grace]) => {
      const w = need(
        findWorkload(o, 'StatefulSet', name),
        `StatefulSet ${name}`,
      ) as Workload & {
        spec: {
          volumeClaimTemplates?: { metadata?: { name?: string } }[];
          persistentVolumeClaimRetentionPolicy?: { whenDeleted?: string };
        };
      };
      const mount = mainContainer(w)?.volumeMounts?.find(
        (m) => m.mountPath === path,
      );
      return [
        !(w.spec.volumeClaimTemplates ?? []).some(
          (t) => t.metadata?.name === mount?.name,
        ) && `${name}: ${path} is not on a volumeClaimTemplate`,
        (w.spec.replicas ?? 1) !== 1 && `${name}: more than one replica`,
        w.spec.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete' &&
          `${name}: deleting the StatefulSet deletes its data`,
        (podSpec(w).terminationGracePeriodSeconds ?? 30) < grace &&
          `${name}: less than ${grace}s to flush on shutdown`,
      ];
    }),
    // A Deployment that rolls with a ReadWriteOnce claim would start the new pod beside the old one.
    ...workloads(o)
      .filter(
        (w) =>
          w.kind === 'Deployment' &&
          (podSpec(w).volumes ?? []).some((v) => v.persistentVolumeClaim),
      )
      .filter(
        (w) =>
          (w as { spec?: { strategy?: { type?: string } } }).spec?.strategy
            ?.type !== 'Recreate',
      )
      .map(
        (w) =>
          `Deployment ${w.metadata.name} mounts a claim but does not use the Recreate strategy`,
      ),
  ],
);

/**
 * Loki restarted after a crash replays its WAL: the replay must stay well inside the container's memory limit, or the
 * pod OOM-loops. An overlay that lowers Loki's limit must lower the ceiling with it.
 */
export const lokiReplayFitsItsLimit = check(
  "Loki's WAL replay ceiling is at most half its memory limit, and GOMEMLIMIT follows the limit",
  (o) => {
    const loki = need(
      findWorkload(o, 'StatefulSet', 'loki'),
      'StatefulSet loki',
    );
    const container = need(mainContainer(loki), 'the loki container');
    const limit = container.resources?.limits?.memory;
    const config = need(
      mountedYaml<{ ingester?: { wal?: { replay_memory_ceiling?: string } } }>(
        o,
        loki,
        '/etc/loki',
        'loki.yaml',
      ),
      'loki.yaml',
    );
    const ceiling = config.ingester?.wal?.replay_memory_ceiling;
    const goMemLimit = container.env?.find((e) => e.name === 'GOMEMLIMIT')
      ?.valueFrom?.resourceFieldRef?.resource;
    return [
      !limit && 'loki: no memory limit',
      !ceiling &&
        "loki.yaml: no ingester.wal.replay_memory_ceiling (Loki's default is 4GB)",
      !!limit &&
        !!ceiling &&
        toBytes(ceiling) > parseQuantity(String(limit)) / 2 &&
        `loki.yaml: replay_memory_ceiling ${ceiling} is more than half the memory limit ${limit}`,
      goMemLimit !== 'limits.memory' &&
        "loki: GOMEMLIMIT does not come from the container's limits.memory",
    ];
  },
);

export const configRollsPods = check(
  'every mounted ConfigMap is generated, so a config change renames it and rolls the pods',
  (o) =>
    workloads(o).flatMap((w) =>
      (podSpec(w).volumes ?? [])
        .filter((v) => v.configMap)
        .flatMap((v) => {
          const name = v.configMap!.name!;
          const exists = o.some(
            (x) =>
              x.kind === 'ConfigMap' &&
              x.metadata.name === name &&
              x.metadata.namespace === w.metadata.namespace,
          );
          return [
            !exists &&
              `${w.kind} ${w.metadata.name} mounts ConfigMap ${name}, which is not rendered`,
            !/-[a-z0-9]{10}$/.test(name) &&
              `${w.kind} ${w.metadata.name} mounts ConfigMap ${name} without a content hash`,
          ];
        }),
    ),
);

/** Only a local minikube overlay may carry a password, the documented development one; real clusters bring theirs. */
export function grafanaCredentials(devCredentials: boolean): Check {
  return check(
    devCredentials
      ? 'Grafana admin Secret is the documented development one'
      : 'no Grafana password is shipped: the user provides it',
    (o) => {
      const secrets = o.filter((x) => x.kind === 'Secret') as KubeObject<{
        data?: Record<string, string>;
      }>[];
      const passwords = secrets.flatMap((s) =>
        s.data?.['admin-password']
          ? [Buffer.from(s.data['admin-password'], 'base64').toString()]
          : [],
      );
      const env = mainContainer(grafana(o))?.env?.find(
        (e) => e.name === 'GF_SECURITY_ADMIN_PASSWORD',
      );
      return [
        !env?.valueFrom?.secretKeyRef &&
          'GF_SECURITY_ADMIN_PASSWORD does not come from a Secret',
        devCredentials &&
          passwords.join() !== DEV_PASSWORD &&
          `expected one generated Secret with the development password, found ${passwords.length}`,
        !devCredentials &&
          passwords.length > 0 &&
          `a Grafana password is committed in this overlay (${passwords.length} Secret(s))`,
      ];
    },
  );
}

/** Every check an overlay must pass. */
export function checksFor({ runtime, devCredentials }: OverlaySpec): Check[] {
  return [
    podsAreRestricted,
    rbacIsLeastPrivilege,
    tokensOnlyWhereNeeded,
    dataIsDurable,
    lokiReplayFitsItsLimit,
    configRollsPods,
    grafanaCredentials(devCredentials),
    prometheusCanReadKubeletMetrics,
    cadvisorScrapedWithToken,
    grafanaFindsPrometheus,
    grafanaFindsLoki,
    containersAreSized,
    collectorCanListPods,
    collectorKnowsItsNode,
    collectorKeepsOwnNode,
    collectorPositionsOnNode,
    collectorShipsToLoki,
    collectorMatchesRuntime(runtime),
  ];
}
