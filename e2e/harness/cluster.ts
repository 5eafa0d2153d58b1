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
import { dirname, join } from 'node:path';
import { NODE_STOP_GRACE_SECONDS } from '@plgkit/core';
import { HarnessError, run, succeeds } from '../../support/exec.js';
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
import {
  KUBERNETES_DIR,
  makePki,
  markControlPlane,
  requireKubernetesDirFree,
  staticPodHostPaths,
  staticPodLog,
  writeStaticPods,
} from './kubeadm.js';
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
import { ENFORCER, removeEnforcerState } from './policy-enforcer.js';
import { stackHostPaths, topMostMissing } from './stack-host-paths.js';
import {
  type ClusterRecord,
  emptyRecord,
  type ProcessRecord,
  readRecord,
  saveRecord,
} from './state.js';
import {
  BRIDGE,
  minikubeLabels,
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

/** The containerd client of the running node's daemon: the one built beside it, or Debian's under dockerd. */
function ctrBinary(record: ClusterRecord | undefined = readRecord()): string {
  return record?.ctr ?? 'ctr';
}

function ctr(
  args: string[],
  runtime: NodeRuntime = 'containerd',
  hint?: string,
): string {
  return run(ctrBinary(), ctrArgs(runtime, args), { hint });
}

/** The IDs of the runtime's tasks or containers. */
function ctrIds(runtime: NodeRuntime, what: 'tasks' | 'containers'): string[] {
  return ctr([what, 'ls', '-q'], runtime)
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A containerd request whose failure is expected (the task already gone): whether it succeeded. */
function ctrQuietly(runtime: NodeRuntime, args: string[]): boolean {
  return succeeds(ctrBinary(), ctrArgs(runtime, args));
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
  requireKubernetesDirFree();
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
      KUBERNETES_DIR,
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
      // A containerd node runs the containerd built here, its runc shim found on its PATH beside it.
      const own = runtime === 'containerd';
      const exe = own ? bins.containerd! : '/usr/bin/containerd';
      record.ctr = own ? bins.ctr! : 'ctr';
      saveRecord(record);
      const containerd = startDaemon(
        record,
        'containerd',
        exe,
        ['--config', config],
        own
          ? {
              ...process.env,
              PATH: `${dirname(exe)}:${process.env.PATH ?? ''}`,
            }
          : process.env,
      );
      await waitForContainerd(record, containerd);
      if (runtime === 'docker') await startDocker(record, bins['cri-dockerd']!);
    },
  );

  await phase('node: import images', () =>
    importImages(archives.values(), runtime),
  );

  const kubeconfigs = await phase(
    'control plane: certificates and kubeconfigs (kubeadm init phase certs, kubeconfig)',
    () => makePki(bins.kubeadm!, ip),
  );
  copyFileSync(kubeconfigs.admin, KUBECONFIG);
  await phase(
    'control plane: static pod manifests (kubeadm init phase control-plane, etcd)',
    () => {
      const pods = writeStaticPods(bins.kubeadm!, ip);
      // The kubelet creates what the manifests mount and the host lacks: down removes it.
      const missing = staticPodHostPaths(pods).flatMap(
        (p) => topMostMissing(p) ?? [],
      );
      record.createdPaths = [...new Set([...record.createdPaths, ...missing])];
      saveRecord(record);
    },
  );

  await phase(
    'node: kubelet, the control plane as its static pods, kube-proxy',
    async () => {
      const kubeletConf = join(STATE_DIR, 'kubelet.yaml');
      writeFileSync(kubeletConf, kubeletConfig(ip, runtime));
      startDaemon(
        record,
        'kubelet',
        bins.kubelet!,
        kubeletArgs(kubeletConf, kubeconfigs.kubelet, ip, runtime),
      );
      await waitForApiServer(record);
      applyObjects(kubeadmBindings());
      await waitUntil(
        'the default ServiceAccount',
        120,
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
        () => staticPodLog('kube-controller-manager'),
        record.processes,
      );
      const proxyConf = join(STATE_DIR, 'kube-proxy.yaml');
      writeFileSync(proxyConf, kubeProxyConfig(kubeconfigs.kubeProxy));
      startDaemon(record, 'kube-proxy', bins['kube-proxy']!, [
        `--config=${proxyConf}`,
      ]);
      await waitForNodeReady(record);
      markControlPlane(bins.kubeadm!, ip);
      labelAsMinikube();
    },
  );

  return ip;
}

/** minikube's labels on the node, `updated_at` the time of this start. */
function labelAsMinikube(): void {
  kubectl([
    'label',
    'node',
    NODE_NAME,
    '--overwrite',
    ...Object.entries(minikubeLabels()).map(([k, v]) => `${k}=${v}`),
  ]);
}

/** containerd answers its own client on the node's socket. */
async function waitForContainerd(
  record: ClusterRecord,
  containerd: ProcessRecord,
): Promise<void> {
  await waitUntil(
    'containerd',
    30,
    () =>
      succeeds(ctrBinary(record), ['--address', CONTAINERD_SOCKET, 'version']),
    () => tail('containerd'),
    [containerd],
  );
}

/** The API server answers ready: the kubelet has started the control plane's static pods. */
async function waitForApiServer(record: ClusterRecord): Promise<void> {
  await waitUntil(
    'kube-apiserver (a static pod)',
    180,
    () => kubectl(['get', '--raw', '/readyz']).trim() === 'ok',
    () =>
      ['etcd', 'kube-apiserver']
        .map((c) => `${c}:\n${staticPodLog(c)}`)
        .concat(`kubelet:\n${tail('kubelet', 5)}`)
        .join('\n'),
    record.processes.filter(isAlive),
  );
}

async function waitForNodeReady(record: ClusterRecord): Promise<void> {
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
    () => `${tail('kubelet')}\n${staticPodLog('kube-controller-manager', 5)}`,
    record.processes.filter(isAlive),
  );
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

/** The node's own processes, in the order they start; `stop` stops them the other way round. */
const NODE_PROCESSES = ['containerd', 'kubelet', 'kube-proxy'] as const;

function requireContainerdRecord(): ClusterRecord {
  requireRoot();
  const record = readRecord();
  if (!record)
    throw new HarnessError('no e2e cluster here: run pnpm e2e:up first');
  if ((record.runtime ?? 'containerd') !== 'containerd')
    throw new HarnessError(
      'stop and start are made for the containerd node only: run pnpm e2e:up (without --runtime docker)',
    );
  return record;
}

/** The IDs of the containerd node's containers, pod sandboxes among them. */
export function nodeContainerIds(): string[] {
  requireContainerdRecord();
  return ctrIds('containerd', 'containers');
}

/**
 * `minikube stop`, as its docker driver stops a node container: the node's services stop, and every container gets
 * SIGTERM, then SIGKILL once `graceSeconds` have passed (`docker stop`'s grace). What the node keeps on disk stays:
 * etcd, the volumes, the pod logs and the collectors' positions.
 */
export async function stop(
  graceSeconds = NODE_STOP_GRACE_SECONDS,
): Promise<void> {
  const record = requireContainerdRecord();
  const running = (name: string) =>
    record.processes.filter((p) => p.name === name && isAlive(p));
  for (const name of [ENFORCER, 'kube-proxy', 'kubelet'])
    for (const p of running(name)) await stopDaemon(p);
  await stopContainers(graceSeconds);
  for (const p of running('containerd')) await stopDaemon(p);
  if (NODE_PROCESSES.some((n) => running(n).length > 0))
    throw new HarnessError('the node did not stop: run pnpm e2e:down');
}

/** Every task gets SIGTERM, then SIGKILL after the grace period; then their tasks are deleted, the containers kept. */
async function stopContainers(graceSeconds: number): Promise<void> {
  const running = (): string[] =>
    ctr(['tasks', 'ls'])
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f.length >= 3 && f[2] !== 'STOPPED')
      .map((f) => f[0]!);
  for (const id of running())
    ctrQuietly('containerd', ['tasks', 'kill', '-s', 'SIGTERM', '--all', id]);
  const deadline = Date.now() + graceSeconds * 1000;
  while (running().length > 0 && Date.now() < deadline) await sleep(250);
  for (const id of running())
    ctrQuietly('containerd', ['tasks', 'kill', '-s', 'SIGKILL', '--all', id]);
  for (let i = 0; i < 40 && running().length > 0; i++) await sleep(250);
  for (const id of ctrIds('containerd', 'tasks'))
    ctrQuietly('containerd', ['tasks', 'delete', id]);
}

/**
 * `minikube start` on a stopped node: containerd, then the kubelet, which starts every pod again (the control plane's
 * static pods first, then the rest in new sandboxes), then kube-proxy. Returns once the node is Ready.
 */
export async function start(): Promise<void> {
  const record = requireContainerdRecord();
  for (const name of NODE_PROCESSES) {
    const all = record.processes.filter((p) => p.name === name);
    if (all.some(isAlive))
      throw new HarnessError(`${name} is running: run pnpm e2e:stop first`);
    const last = all.at(-1);
    if (!last?.args)
      throw new HarnessError(
        `the record has no way to start ${name} again: run pnpm e2e:down, then pnpm e2e:up`,
      );
    const p = startDaemon(
      record,
      name,
      last.exe,
      [...last.args],
      last.path ? { ...process.env, PATH: last.path } : process.env,
    );
    if (name === 'containerd') await waitForContainerd(record, p);
    if (name === 'kubelet') await waitForApiServer(record);
  }
  await waitForNodeReady(record);
  labelAsMinikube();
}

/** Everything `up` made, undone from its record. Safe to run at any time, any number of times. */
export async function down(): Promise<void> {
  requireRoot();
  const record: ClusterRecord = readRecord() ?? emptyRecord();
  const byName = (n: string) => record.processes.filter((p) => p.name === n);
  // The node agents first, so nothing restarts the containers we remove next.
  for (const name of [ENFORCER, 'kube-proxy', 'kubelet'])
    for (const p of byName(name)) await stopDaemon(p);
  if (byName('dockerd').some(isAlive)) removeDockerContainers();
  for (const p of byName('cri-dockerd')) await stopDaemon(p);
  for (const p of byName('dockerd')) await stopDaemon(p, 30);
  // Every pod's containers, the control plane's static pods among them.
  if (byName('containerd').some(isAlive))
    removeContainers(record.runtime ?? 'containerd');
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
  try {
    for (const id of ctrIds(runtime, 'tasks'))
      ctrQuietly(runtime, ['tasks', 'kill', '-s', 'SIGKILL', '--all', id]);
    for (const id of ctrIds(runtime, 'tasks'))
      ctrQuietly(runtime, ['tasks', 'delete', '-f', id]);
    for (const id of ctrIds(runtime, 'containers'))
      ctrQuietly(runtime, ['containers', 'delete', id]);
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
