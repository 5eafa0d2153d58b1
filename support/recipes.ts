// One Go build recipe per upstream project the e2e cluster runs, at the versions pinned in versions.ts.
import {
  ALLOY_SYNTAX_VERSION,
  ALLOY_VERSION,
} from '../packages/alloy/src/versions.js';
import type { GoRecipe } from './go-build.js';
import {
  bare,
  CONTAINERD_VERSION,
  COREDNS_VERSION,
  CRI_DOCKERD_VERSION,
  ETCD_VERSION,
  KUBE_ROUTER_VERSION,
  KUBERNETES_VERSION,
  LOCAL_PATH_VERSION,
  prometheusModuleVersion,
  STACK,
} from './versions.js';

/**
 * go.sum lines for module versions the checksum database has no entry for here (its lookup answers 404), recorded from
 * the module proxy on first download with verification scoped off for that one module. Verification stays on for the rest.
 */
const CHECKSUM_DB_GAPS: Readonly<Record<string, readonly string[]>> = {
  'github.com/grafana/loki/v3@v3.6.8': [
    'github.com/grafana/loki/v3 v3.6.8 h1:/jPifDHi/BGDvRE5EIAoTSKcwES3q7+MJw/LRbuAaWk=',
    'github.com/grafana/loki/v3 v3.6.8/go.mod h1:4rOcS+lxGB7Zg6Rj/EB1pLjGljmoUsoKoEyuXb9oi4I=',
  ],
};

function pinnedSums(
  module: string,
  version: string,
): readonly string[] | undefined {
  return CHECKSUM_DB_GAPS[`${module}@${version}`];
}

const k8sMinorPatch = bare(KUBERNETES_VERSION).split('.').slice(1).join('.');
const componentBase = 'k8s.io/component-base/version';

export const kubernetes: GoRecipe = {
  id: 'kubernetes',
  module: 'k8s.io/kubernetes',
  version: KUBERNETES_VERSION,
  // Staging modules live in the repository (./staging/src/k8s.io/…); each is published as v0.MINOR.PATCH.
  localReplace: () => `v0.${k8sMinorPatch}`,
  ldflags: [
    `-X ${componentBase}.gitVersion=${KUBERNETES_VERSION}`,
    `-X ${componentBase}.gitMajor=${bare(KUBERNETES_VERSION).split('.')[0]}`,
    `-X ${componentBase}.gitMinor=${bare(KUBERNETES_VERSION).split('.')[1]}`,
    `-X ${componentBase}.gitTreeState=clean`,
  ],
  programs: [
    'kube-apiserver',
    'kube-controller-manager',
    'kube-scheduler',
    'kubelet',
    'kube-proxy',
    'kubeadm',
    'kubectl',
  ].map((b) => ({
    binary: b,
    pkg: `k8s.io/kubernetes/cmd/${b}`,
    versionArgs:
      b === 'kubeadm'
        ? ['version', '-o', 'short']
        : b === 'kubectl'
          ? ['version', '--client']
          : ['--version'],
    expectVersion: KUBERNETES_VERSION,
  })),
};

export const etcd: GoRecipe = {
  id: 'etcd',
  module: 'go.etcd.io/etcd/server/v3',
  version: ETCD_VERSION,
  // etcd's `main` is in the repository root module, which replaces every sibling with a path; etcdmain is the real entry.
  mainSource:
    'package main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n',
  extraRequires: ['api/v3', 'client/pkg/v3', 'client/v3', 'pkg/v3'].map(
    (m) => `go.etcd.io/etcd/${m}@${ETCD_VERSION}`,
  ),
  localReplace: () => 'drop',
  ldflags: [],
  programs: [
    {
      binary: 'etcd',
      pkg: '.',
      versionArgs: ['--version'],
      expectVersion: `etcd Version: ${bare(ETCD_VERSION)}`,
    },
  ],
};

const promVersion = (v: string): string[] => [
  `-X github.com/prometheus/common/version.Version=${bare(v)}`,
  '-X github.com/prometheus/common/version.Branch=HEAD',
];

export const prometheus: GoRecipe = {
  id: 'prometheus',
  module: 'github.com/prometheus/prometheus',
  version: prometheusModuleVersion(STACK.prometheus.version),
  ldflags: promVersion(STACK.prometheus.version),
  programs: [
    {
      binary: 'prometheus',
      pkg: 'github.com/prometheus/prometheus/cmd/prometheus',
      versionArgs: ['--version'],
      expectVersion: `version ${bare(STACK.prometheus.version)}`,
    },
    {
      binary: 'promtool',
      pkg: 'github.com/prometheus/prometheus/cmd/promtool',
      versionArgs: ['--version'],
      expectVersion: `version ${bare(STACK.prometheus.version)}`,
    },
  ],
};

export const alertmanager: GoRecipe = {
  id: 'alertmanager',
  module: 'github.com/prometheus/alertmanager',
  version: STACK.alertmanager.version,
  ldflags: promVersion(STACK.alertmanager.version),
  // ui/web.go embeds ui/app/dist, which upstream's release makes with npm and Elm (`make assets`) and the module zip
  // lacks: without it nothing builds. The web UI is left out of this build, and says so; the API is upstream's.
  generatedFiles: Object.fromEntries(
    ['elm', 'mantine'].map((ui) => [
      `ui/app/dist/${ui}/index.html`,
      '<!doctype html><title>Alertmanager</title><p>This Alertmanager was built from its Go module, without its web UI (upstream makes it with npm and Elm). Its API is at <a href="api/v2/status">api/v2</a>.</p>\n',
    ]),
  ),
  programs: ['alertmanager', 'amtool'].map((binary) => ({
    binary,
    pkg: `github.com/prometheus/alertmanager/cmd/${binary}`,
    versionArgs: ['--version'],
    expectVersion: `version ${bare(STACK.alertmanager.version)}`,
  })),
};

const lokiBuild = 'github.com/grafana/loki/v3/pkg/util/build';

/** Loki and Promtail come from one module (Promtail's main left it in 3.7); one build gives both when their versions match. */
export function loki(
  version: string,
  programs: ReadonlyArray<'loki' | 'promtail'>,
): GoRecipe {
  const module = 'github.com/grafana/loki/v3';
  return {
    id: programs.includes('loki') ? 'loki' : 'promtail',
    module,
    version: `v${bare(version)}`,
    pinnedSums: pinnedSums(module, `v${bare(version)}`),
    // ./pkg/push is a nested module, not in the zip; the version Loki requires is served.
    localReplace: () => 'drop',
    appendGoSum: true,
    ldflags: [
      `-X ${lokiBuild}.Version=${bare(version)}`,
      `-X ${lokiBuild}.Branch=HEAD`,
    ],
    programs: programs.map((p) => ({
      binary: p,
      pkg:
        p === 'loki'
          ? 'github.com/grafana/loki/v3/cmd/loki'
          : 'github.com/grafana/loki/v3/clients/cmd/promtail',
      versionArgs: ['-version'],
      expectVersion: `version ${bare(version)}`,
    })),
  };
}

export const nodeExporter: GoRecipe = {
  id: 'node_exporter',
  module: 'github.com/prometheus/node_exporter',
  version: STACK.nodeExporter.version,
  ldflags: promVersion(STACK.nodeExporter.version),
  programs: [
    {
      binary: 'node_exporter',
      pkg: 'github.com/prometheus/node_exporter',
      versionArgs: ['--version'],
      expectVersion: `version ${bare(STACK.nodeExporter.version)}`,
    },
  ],
};

export const kubeStateMetrics: GoRecipe = {
  id: 'kube-state-metrics',
  module: 'k8s.io/kube-state-metrics/v2',
  version: STACK.kubeStateMetrics.version,
  pinnedSums: pinnedSums(
    'k8s.io/kube-state-metrics/v2',
    STACK.kubeStateMetrics.version,
  ),
  appendGoSum: true,
  ldflags: [
    `-X github.com/prometheus/common/version.Version=${STACK.kubeStateMetrics.version}`,
  ],
  programs: [
    {
      binary: 'kube-state-metrics',
      pkg: 'k8s.io/kube-state-metrics/v2',
      versionArgs: ['version'],
      expectVersion: STACK.kubeStateMetrics.version,
    },
  ],
};

export const coredns: GoRecipe = {
  id: 'coredns',
  module: 'github.com/coredns/coredns',
  version: COREDNS_VERSION,
  ldflags: [],
  programs: [
    {
      binary: 'coredns',
      pkg: 'github.com/coredns/coredns',
      versionArgs: ['-version'],
      expectVersion: `CoreDNS-${bare(COREDNS_VERSION)}`,
    },
  ],
};

export const localPathProvisioner: GoRecipe = {
  id: 'local-path-provisioner',
  module: 'github.com/rancher/local-path-provisioner',
  version: LOCAL_PATH_VERSION,
  ldflags: [`-X main.VERSION=${LOCAL_PATH_VERSION}`],
  programs: [
    {
      binary: 'local-path-provisioner',
      pkg: 'github.com/rancher/local-path-provisioner',
      versionArgs: ['--version'],
      expectVersion: LOCAL_PATH_VERSION,
    },
  ],
};

/**
 * containerd 2.x with its CRI plugin, its client and the runc shim, static (CGO_ENABLED=0 leaves out only the btrfs
 * snapshotter, which needs cgo; the node uses overlayfs).
 */
export const containerd: GoRecipe = {
  id: 'containerd',
  module: 'github.com/containerd/containerd/v2',
  version: CONTAINERD_VERSION,
  ldflags: [
    `-X github.com/containerd/containerd/v2/version.Version=${CONTAINERD_VERSION}`,
    '-X github.com/containerd/containerd/v2/version.Revision=HEAD',
  ],
  programs: ['containerd', 'ctr', 'containerd-shim-runc-v2'].map((b) => ({
    binary: b,
    pkg: `github.com/containerd/containerd/v2/cmd/${b}`,
    versionArgs: b === 'containerd-shim-runc-v2' ? ['-v'] : ['--version'],
    expectVersion: CONTAINERD_VERSION,
  })),
};

/** The CRI shim of a docker-runtime node, as minikube's `--container-runtime=docker` runs it. */
export const criDockerd: GoRecipe = {
  id: 'cri-dockerd',
  module: 'github.com/Mirantis/cri-dockerd',
  version: CRI_DOCKERD_VERSION,
  ldflags: [
    `-X github.com/Mirantis/cri-dockerd/cmd/version.Version=${bare(CRI_DOCKERD_VERSION)}`,
    '-X github.com/Mirantis/cri-dockerd/cmd/version.GitCommit=HEAD',
  ],
  programs: [
    {
      binary: 'cri-dockerd',
      pkg: 'github.com/Mirantis/cri-dockerd',
      versionArgs: ['--version'],
      expectVersion: `cri-dockerd ${bare(CRI_DOCKERD_VERSION)}`,
    },
  ],
};

/** kube-router, run with its network policy controller only: NetworkPolicy enforced by iptables and ipsets. */
export const kubeRouter: GoRecipe = {
  id: 'kube-router',
  module: 'github.com/cloudnativelabs/kube-router/v2',
  version: KUBE_ROUTER_VERSION,
  ldflags: [
    `-X github.com/cloudnativelabs/kube-router/v2/pkg/version.Version=${KUBE_ROUTER_VERSION}`,
  ],
  programs: [
    {
      binary: 'kube-router',
      pkg: 'github.com/cloudnativelabs/kube-router/v2/cmd/kube-router',
      versionArgs: ['--version'],
      expectVersion: KUBE_ROUTER_VERSION,
    },
  ],
};

/**
 * Grafana Alloy. Its `main` lives in a nested `collector` module the proxy does not serve, so the wrapper's own main
 * runs Alloy's root command (`flowcmd.RootCommand`): `run`, `fmt`, `validate`, `convert`; no `otel`, no web UI.
 * About 90 of its dependencies have no checksum-database entry here: its own go.sum is appended.
 */
export const alloy: GoRecipe = {
  id: 'alloy',
  module: 'github.com/grafana/alloy',
  version: ALLOY_VERSION,
  extraRequires: [`github.com/grafana/alloy/syntax@${ALLOY_SYNTAX_VERSION}`],
  localReplace: () => 'drop',
  appendGoSum: true,
  mainSource:
    'package main\n\nimport (\n\t"os"\n\n\t"github.com/grafana/alloy/flowcmd"\n)\n\nfunc main() {\n\tif err := flowcmd.RootCommand().Execute(); err != nil {\n\t\tos.Exit(1)\n\t}\n}\n',
  ldflags: [
    `-X github.com/grafana/alloy/internal/build.Version=${ALLOY_VERSION}`,
  ],
  programs: [
    {
      binary: 'alloy',
      pkg: '.',
      versionArgs: ['--version'],
      expectVersion: ALLOY_VERSION,
    },
  ],
};

/** Every recipe, in build order: the cluster first, then the stack. Promtail shares Loki's build when versions match. */
export function allRecipes(): GoRecipe[] {
  const sameLoki = bare(STACK.loki.version) === bare(STACK.promtail.version);
  return [
    kubernetes,
    containerd,
    etcd,
    coredns,
    localPathProvisioner,
    prometheus,
    alertmanager,
    sameLoki
      ? loki(STACK.loki.version, ['loki', 'promtail'])
      : loki(STACK.loki.version, ['loki']),
    ...(sameLoki ? [] : [loki(STACK.promtail.version, ['promtail'])]),
    nodeExporter,
    kubeStateMetrics,
  ];
}

/** Built on demand, not before the cluster comes up: `up --runtime docker` needs cri-dockerd; the Alloy overlay, Alloy. */
export const ON_DEMAND: readonly GoRecipe[] = [criDockerd, alloy, kubeRouter];
