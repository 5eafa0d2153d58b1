// `up` and `down`: a real one-node cluster on this machine, and its complete removal, both driven by one record.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { run, succeeds } from '../../support/exec.js';
import { goBuild } from '../../support/go-build.js';
import {
  HOST_PATHS,
  KUBECONFIG,
  NETNS_DIR,
  RUN_DIR,
  STATE_DIR,
} from '../../support/paths.js';
import { alloy, criDockerd } from '../../support/recipes.js';
import { STACK } from '../../support/versions.js';
import { corednsObjects, kubeadmBindings, localPathObjects } from './addons.js';
import { buildAll } from './build-all.js';
import {
  apiserverArgs,
  controllerManagerArgs,
  etcdArgs,
  schedulerArgs,
} from './control-plane.js';
import {
  isAlive,
  sleep,
  startDaemon,
  stopDaemon,
  tail,
  waitUntil,
} from './daemons.js';
import {
  DOCKER_DATA_ROOT,
  DOCKER_TRUST_KEY,
  loadImages,
  removeDockerContainers,
  requireDockerDataRootFree,
  startDocker,
} from './docker-node.js';
import {
  bridgeNetfilter,
  DOCKER_NODE_PACKAGES,
  installPackages,
  kubepodsCgroups,
  linkExists,
  makeRootShared,
  NODE_PACKAGES,
  recordChains,
  recordSysctls,
  removeOurChains,
  requirePortsFree,
  requireRoot,
  restoreRootPropagation,
  restoreSysctls,
  setSysctl,
  unmountUnder,
} from './host.js';
import { alloyImageSpec, buildImages, imageSpecs } from './images.js';
import { applyObjects, kubectl, kubectlJson, useKubectl } from './kubectl.js';
import {
  CNI_CONF_DIR,
  CONTAINERD_SOCKET,
  cniConfig,
  containerdConfig,
  KUBELET_DIR,
  kubeletArgs,
  kubeletConfig,
  kubeProxyConfig,
  LOCAL_PATH_DIR,
  REGISTRIES,
  REGISTRY_HOSTS_DIR,
  registryHostsToml,
} from './node-config.js';
import { phase } from './phases.js';
import { makePki } from './pki.js';
import { ENFORCER, removeEnforcerState } from './policy-enforcer.js';
import { stackHostPaths, topMostMissing } from './stack-host-paths.js';
import {
  type ClusterRecord,
  emptyRecord,
  readRecord,
  saveRecord,
} from './state.js';
import {
  BRIDGE,
  NODE_NAME,
  type NodeRuntime,
  nodeIp,
  PORTS,
} from './topology.js';

/** cgroupfs directories are removed with rmdir, leaves first, once no process is left in them. */
function removeCgroup(dir: string): void {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true }))
    if (e.isDirectory()) removeCgroup(join(dir, e.name));
  try {
    rmdirSync(dir);
  } catch {
    // still busy: reported by the leftover check
  }
}

/** Where each runtime keeps its containers in containerd: the CRI plugin's namespace, or dockerd's. */
const CONTAINERD_NAMESPACES: Readonly<Record<NodeRuntime, string>> = {
  containerd: 'k8s.io',
  docker: 'moby',
};

/** containerd's own client's arguments, on this cluster's socket and the runtime's namespace. */
const ctrArgs = (runtime: NodeRuntime, args: string[]): string[] => [
  '--address',
  CONTAINERD_SOCKET,
  '-n',
  CONTAINERD_NAMESPACES[runtime],
  ...args,
];

function ctr(
  args: string[],
  runtime: NodeRuntime = 'containerd',
  hint?: string,
): string {
  return run('ctr', ctrArgs(runtime, args), { hint });
}

export interface UpResult {
  readonly kubeconfig: string;
  readonly nodeIp: string;
  readonly bins: Record<string, string>;
}

export interface UpOptions {
  /** The node's container runtime; containerd by default, as minikube v1.39 and later. */
  readonly runtime?: NodeRuntime;
}

export async function up(options: UpOptions = {}): Promise<UpResult> {
  const runtime = options.runtime ?? 'containerd';
  requireRoot();
  if (readRecord() || existsSync(STATE_DIR) || existsSync(RUN_DIR)) {
    console.log(
      `• found a leftover e2e cluster (${STATE_DIR}) from an earlier or crashed run: removing it first`,
    );
    await down();
  }
  await phase('host packages', () =>
    installPackages(
      runtime === 'docker' ? DOCKER_NODE_PACKAGES : NODE_PACKAGES,
    ),
  );
  if (runtime === 'docker') requireDockerDataRootFree();
  requirePortsFree(PORTS);
  const bins = await buildAll();
  if (runtime === 'docker')
    Object.assign(
      bins,
      await phase(`binaries: ${criDockerd.id} ${criDockerd.version}`, () =>
        goBuild(criDockerd),
      ),
    );
  useKubectl(bins.kubectl!);
  const archives = await phase('images', () => buildImages(imageSpecs(bins)));
  console.log(
    `• ${STACK.grafana.image} is not built: Grafana's server is neither on the Go module proxy nor in Debian, so its pod stays in ErrImagePull`,
  );
  const ip = await startNode(bins, archives, runtime);
  await installAddons();
  return { kubeconfig: KUBECONFIG, nodeIp: ip, bins };
}

/** The runtime, the control plane, the kubelet and kube-proxy, with the images imported; returns the node IP. */
export async function startNode(
  bins: Record<string, string>,
  archives: ReadonlyMap<string, string>,
  runtime: NodeRuntime = 'containerd',
): Promise<string> {
  const ip = nodeIp();
  const record = emptyRecord();
  record.nodeIp = ip;
  record.runtime = runtime;
  const dockerPaths =
    runtime === 'docker' ? [DOCKER_DATA_ROOT, DOCKER_TRUST_KEY] : [];
  // The stack's own host directories too, whoever applies it: a test, or a person with `kubectl apply -k`.
  const stackPaths = stackHostPaths().flatMap((p) => topMostMissing(p) ?? []);
  record.createdPaths = [
    ...new Set([
      ...HOST_PATHS,
      ...dockerPaths,
      ...stackPaths,
      ...kubepodsCgroups(),
    ]),
  ].filter((p) => !existsSync(p));
  record.netnsBefore = existsSync(NETNS_DIR) ? readdirSync(NETNS_DIR) : [];
  recordSysctls(record);
  recordChains(record);
  saveRecord(record);

  await phase(
    `node: host setup and ${runtime === 'docker' ? 'containerd, dockerd, cri-dockerd' : 'containerd'}`,
    async () => {
      setSysctl('net/ipv4/ip_forward', '1');
      bridgeNetfilter();
      makeRootShared(record);
      saveRecord(record);
      for (const d of [CNI_CONF_DIR, KUBELET_DIR, LOCAL_PATH_DIR, RUN_DIR])
        mkdirSync(d, { recursive: true });
      writeFileSync(
        join(STATE_DIR, 'resolv.conf'),
        '# pods resolve through CoreDNS only\n',
      );
      writeFileSync(join(CNI_CONF_DIR, '10-plgkit-e2e.conflist'), cniConfig());
      for (const r of REGISTRIES) {
        mkdirSync(join(REGISTRY_HOSTS_DIR, r), { recursive: true });
        writeFileSync(
          join(REGISTRY_HOSTS_DIR, r, 'hosts.toml'),
          registryHostsToml(),
        );
      }
      const config = join(STATE_DIR, 'containerd.toml');
      writeFileSync(config, containerdConfig(runtime));
      const containerd = startDaemon(
        record,
        'containerd',
        '/usr/bin/containerd',
        ['--config', config],
      );
      await waitUntil(
        'containerd',
        30,
        () => succeeds('ctr', ['--address', CONTAINERD_SOCKET, 'version']),
        () => tail('containerd'),
        [containerd],
      );
      if (runtime === 'docker') await startDocker(record, bins['cri-dockerd']!);
    },
  );

  await phase('node: import images', () =>
    importImages(archives.values(), runtime),
  );

  const kubeconfigs = await phase(
    'control plane: certificates (kubeadm init phase certs, kubeconfig)',
    () => makePki(bins.kubeadm!, ip),
  );
  copyFileSync(kubeconfigs.admin, KUBECONFIG);

  await phase(
    'control plane: etcd, kube-apiserver, kube-controller-manager, kube-scheduler',
    async () => {
      const etcd = startDaemon(record, 'etcd', bins.etcd!, etcdArgs());
      await waitUntil(
        'etcd',
        60,
        async () =>
          (await fetch(`http://127.0.0.1:${PORTS.etcdMetrics}/health`)).ok,
        () => tail('etcd'),
        [etcd],
      );
      const apiserver = startDaemon(
        record,
        'kube-apiserver',
        bins['kube-apiserver']!,
        apiserverArgs(ip),
      );
      await waitUntil(
        'kube-apiserver',
        120,
        () => kubectl(['get', '--raw', '/readyz']).trim() === 'ok',
        () => tail('kube-apiserver'),
        [etcd, apiserver],
      );
      applyObjects(kubeadmBindings());
      startDaemon(
        record,
        'kube-controller-manager',
        bins['kube-controller-manager']!,
        controllerManagerArgs(kubeconfigs),
      );
      startDaemon(
        record,
        'kube-scheduler',
        bins['kube-scheduler']!,
        schedulerArgs(kubeconfigs),
      );
      await waitUntil(
        'the default ServiceAccount',
        60,
        () =>
          kubectl([
            '-n',
            'default',
            'get',
            'serviceaccount',
            'default',
            '-o',
            'name',
          ]).trim() !== '',
        () => tail('kube-controller-manager'),
        record.processes,
      );
    },
  );

  await phase('node: kubelet and kube-proxy', async () => {
    const kubeletConf = join(STATE_DIR, 'kubelet.yaml');
    writeFileSync(kubeletConf, kubeletConfig(ip, runtime));
    startDaemon(
      record,
      'kubelet',
      bins.kubelet!,
      kubeletArgs(kubeletConf, kubeconfigs.kubelet, ip, runtime),
    );
    const proxyConf = join(STATE_DIR, 'kube-proxy.yaml');
    writeFileSync(proxyConf, kubeProxyConfig(kubeconfigs.kubeProxy));
    startDaemon(record, 'kube-proxy', bins['kube-proxy']!, [
      `--config=${proxyConf}`,
    ]);
    await waitUntil(
      `node ${NODE_NAME}`,
      120,
      () => {
        const node = kubectlJson<{
          status?: { conditions?: Array<{ type: string; status: string }> };
        }>(['get', 'node', NODE_NAME]);
        return (
          node.status?.conditions?.some(
            (c) => c.type === 'Ready' && c.status === 'True',
          ) ?? false
        );
      },
      () => `${tail('kubelet')}\n${tail('kube-controller-manager', 5)}`,
      record.processes,
    );
  });

  return ip;
}

/** Puts image archives into the node's runtime: containerd's CRI namespace, or docker's image store. */
export function importImages(
  archives: Iterable<string>,
  runtime: NodeRuntime = readRecord()?.runtime ?? 'containerd',
): void {
  if (runtime === 'docker') loadImages(archives);
  else
    for (const archive of archives)
      ctr(
        ['images', 'import', archive],
        runtime,
        `importing ${archive} into containerd failed`,
      );
}

/**
 * Grafana Alloy's image on the running node, built first if need be: its binary (about 12 minutes cold, or waiting
 * for a build already under way, as .ci/run starts one in the background), then the image, then the import.
 */
export async function provideAlloyImage(): Promise<void> {
  const { alloy: binary } = await phase(
    `binaries: ${alloy.id} ${alloy.version}`,
    () => goBuild(alloy),
  );
  const archives = await buildImages([alloyImageSpec(binary!)]);
  importImages(archives.values());
}

export async function installAddons(): Promise<void> {
  await phase(
    'addons: CoreDNS and the default StorageClass (local-path-provisioner)',
    async () => {
      applyObjects([...corednsObjects(), ...localPathObjects()]);
      for (const [ns, name] of [
        ['kube-system', 'coredns'],
        ['local-path-storage', 'local-path-provisioner'],
      ] as const) {
        await waitUntil(
          `${ns}/${name}`,
          120,
          () =>
            kubectlJson<{ status?: { availableReplicas?: number } }>([
              '-n',
              ns,
              'get',
              'deployment',
              name,
            ]).status?.availableReplicas === 1,
          () =>
            kubectl(['-n', ns, 'describe', 'pods'])
              .split('\n')
              .slice(-20)
              .join('\n'),
        );
      }
    },
  );
}

/** Everything `up` made, undone from its record. Safe to run at any time, any number of times. */
export async function down(): Promise<void> {
  requireRoot();
  const record: ClusterRecord = readRecord() ?? emptyRecord();
  const byName = (n: string) => record.processes.filter((p) => p.name === n);
  // The node agents first, so nothing restarts the containers we remove next.
  for (const name of [
    ENFORCER,
    'kube-proxy',
    'kubelet',
    'kube-scheduler',
    'kube-controller-manager',
  ])
    for (const p of byName(name)) await stopDaemon(p);
  if (byName('dockerd').some(isAlive)) removeDockerContainers();
  for (const p of byName('cri-dockerd')) await stopDaemon(p);
  for (const p of byName('dockerd')) await stopDaemon(p, 30);
  if (byName('containerd').some(isAlive))
    removeContainers(record.runtime ?? 'containerd');
  for (const name of ['kube-apiserver', 'etcd'])
    for (const p of byName(name)) await stopDaemon(p);
  for (const p of byName('containerd')) await stopDaemon(p);
  await killLeftovers();

  const netnsBefore = new Set(
    (record.netnsBefore ?? []).map((n) => join(NETNS_DIR, n)),
  );
  unmountUnder([
    KUBELET_DIR,
    RUN_DIR,
    STATE_DIR,
    ...(record.createdPaths.includes(DOCKER_DATA_ROOT)
      ? [DOCKER_DATA_ROOT]
      : []),
  ]);
  if (existsSync(NETNS_DIR))
    unmountUnder(
      readdirSync(NETNS_DIR)
        .map((n) => join(NETNS_DIR, n))
        .filter((p) => !netnsBefore.has(p) && p.includes('cni-')),
    );
  if (linkExists(BRIDGE)) run('ip', ['link', 'delete', BRIDGE]);
  removeOurChains(record);
  removeEnforcerState();
  restoreSysctls(record);
  restoreRootPropagation(record);
  if (existsSync(NETNS_DIR))
    for (const n of readdirSync(NETNS_DIR))
      if (n.startsWith('cni-') && !netnsBefore.has(join(NETNS_DIR, n)))
        rmSync(join(NETNS_DIR, n), { force: true });
  for (const p of [...record.createdPaths].reverse()) {
    if (kubepodsCgroups().includes(p)) removeCgroup(p);
    else if (p !== STATE_DIR) rmSync(p, { recursive: true, force: true });
  }
  rmSync(RUN_DIR, { recursive: true, force: true });
  rmSync(STATE_DIR, { recursive: true, force: true });
}

/**
 * Kills and deletes every container through containerd, so the shims exit and release their mounts. On a docker
 * node this finds what a dead dockerd left running.
 */
function removeContainers(runtime: NodeRuntime): void {
  const list = (what: string): string[] =>
    ctr([what, 'ls', '-q'], runtime)
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
  const quietly = (args: string[]): boolean =>
    succeeds('ctr', ctrArgs(runtime, args));
  try {
    for (const id of list('tasks'))
      quietly(['tasks', 'kill', '-s', 'SIGKILL', '--all', id]);
    for (const id of list('tasks')) quietly(['tasks', 'delete', '-f', id]);
    for (const id of list('containers')) quietly(['containers', 'delete', id]);
  } catch {
    // containerd died meanwhile: killLeftovers finds what is left.
  }
}

/** The PIDs in the kubelet's cgroup hierarchy: every container process of the node, whatever state containerd is in. */
function podProcesses(): number[] {
  const pids = new Set<number>();
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true }))
      if (e.isDirectory()) walk(join(dir, e.name));
    const procs = join(dir, 'cgroup.procs');
    if (existsSync(procs))
      for (const l of readFileSync(procs, 'utf8').split('\n'))
        if (l.trim()) pids.add(Number(l));
  };
  for (const dir of kubepodsCgroups()) walk(dir);
  return [...pids];
}

/** containerd's shims, which outlive it: each was started with this cluster's own containerd socket. */
function shimProcesses(): number[] {
  const marker = `-address\0${CONTAINERD_SOCKET}\0`;
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * What a crash (or a task containerd could not delete) leaves: containers in the kubelet's cgroups and shims
 * serving this cluster's socket. Each is killed by its PID, then awaited.
 */
async function killLeftovers(): Promise<void> {
  for (let round = 0; round < 50; round++) {
    const pids = [...podProcesses(), ...shimProcesses()];
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await sleep(200);
  }
}
