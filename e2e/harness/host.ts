// What `up` changes on the host outside its own directories, each recorded so that `down` can put it back.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError, run, succeeds } from '../../support/exec.js';
import type { ClusterRecord } from './state.js';

/** Debian packages the node needs, as a minikube node ships them. */
export const NODE_PACKAGES = [
  'runc',
  'containernetworking-plugins',
  'iptables',
  'busybox-static',
  'gcc',
  'libc6-dev',
] as const;
/**
 * And for a docker node: Debian's docker.io (20.10), whose dockerd runs on Debian's containerd 1.6 and the runc above.
 * A containerd node runs containerd 2.x built here instead (support/recipes.ts).
 */
export const DOCKER_NODE_PACKAGES = [
  ...NODE_PACKAGES,
  'containerd',
  'docker.io',
] as const;

export function requireRoot(): void {
  if (process.getuid?.() !== 0) {
    throw new HarnessError(
      'the e2e cluster runs a kubelet and containerd, which need root: run it as root (sudo pnpm e2e:up)',
    );
  }
}

export function installPackages(
  packages: readonly string[] = NODE_PACKAGES,
): void {
  const installed = (p: string): boolean => {
    try {
      return run('dpkg-query', ['-W', '-f=${Status}', p]).includes(
        'install ok installed',
      );
    } catch {
      return false; // dpkg-query fails for a package it has never heard of
    }
  };
  const missing = packages.filter((p) => !installed(p));
  if (missing.length === 0) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env, hint: 'apt-get update failed' });
  for (const p of missing) {
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', p], {
      env,
      hint: `the Debian package ${p} could not be installed; install it by hand (apt-get install ${p}) and run again`,
    });
  }
}

/** Refuses to start when a port the cluster needs is taken, and says by whom. */
export function requirePortsFree(ports: Record<string, number>): void {
  for (const [what, port] of Object.entries(ports)) {
    const out = run('ss', ['-Hltnp', `sport = :${port}`]).trim();
    if (out) {
      const owner = /users:\(\("([^"]+)",pid=(\d+)/.exec(out);
      throw new HarnessError(
        `port ${port} (${what}) is in use${owner ? ` by ${owner[1]} (pid ${owner[2]})` : ''}: stop that process, or run pnpm e2e:down if it is a leftover e2e cluster`,
      );
    }
  }
}

/** Kernel settings the kubelet and kube-proxy change; `down` restores the values they had. */
export const SYSCTLS = [
  'net/ipv4/ip_forward',
  'net/bridge/bridge-nf-call-iptables',
  'net/ipv4/conf/all/route_localnet',
  'vm/overcommit_memory',
  'vm/panic_on_oom',
  'kernel/panic',
  'kernel/panic_on_oops',
  'kernel/keys/root_maxkeys',
  'kernel/keys/root_maxbytes',
];

export function recordSysctls(record: ClusterRecord): void {
  for (const key of SYSCTLS) {
    const path = `/proc/sys/${key}`;
    if (existsSync(path) && record.sysctls[key] === undefined)
      record.sysctls[key] = readFileSync(path, 'utf8').trim();
  }
}

export function setSysctl(key: string, value: string): void {
  writeFileSync(`/proc/sys/${key}`, value);
}

/** Service traffic between pods on one bridge passes iptables only with br_netfilter, as on every kubeadm node. */
export function bridgeNetfilter(): void {
  const key = 'net/bridge/bridge-nf-call-iptables';
  if (!existsSync(`/proc/sys/${key}`)) succeeds('modprobe', ['br_netfilter']);
  if (!existsSync(`/proc/sys/${key}`)) {
    throw new HarnessError(
      'the br_netfilter kernel module is not loaded and cannot be loaded here: run modprobe br_netfilter on the host, then try again',
    );
  }
  setSysctl(key, '1');
}

export function restoreSysctls(record: ClusterRecord): void {
  for (const [key, value] of Object.entries(record.sysctls)) {
    const path = `/proc/sys/${key}`;
    try {
      if (existsSync(path) && readFileSync(path, 'utf8').trim() !== value)
        writeFileSync(path, value);
    } catch {
      // A read-only key in this sandbox was never changed either.
    }
  }
}

// ---- mounts ----

export interface Mount {
  point: string;
  shared: boolean;
}

/** /proc/self/mountinfo: each mount point (octal escapes decoded) and whether it propagates (shared). */
export function mounts(): Mount[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const f = line.split(' ');
      const sep = f.indexOf('-');
      const optional = f.slice(6, sep);
      return {
        point: f[4]!.replace(/\\(\d{3})/g, (_, o: string) =>
          String.fromCharCode(parseInt(o, 8)),
        ),
        shared: optional.some((o) => o.startsWith('shared:')),
      };
    });
}

/**
 * `/` must be rshared, as kind's node entrypoint makes it: node-exporter's HostToContainer mount fails otherwise
 * ("path / is mounted on / but it is not a shared or slave mount").
 */
export function makeRootShared(record: ClusterRecord): void {
  record.sharedMounts ??= [
    ...new Set(
      mounts()
        .filter((m) => m.shared)
        .map((m) => m.point),
    ),
  ];
  run('mount', ['--make-rshared', '/']);
}

/**
 * Gives every mount back the propagation it had before `up`. `mount --make-private <point>` reaches only the top
 * mount at a point, and some machines stack two mounts at one point (here /dev/pts and /dev/shm): the hidden one
 * would stay shared. `--make-rprivate /` reaches the whole tree, hidden mounts included; then what was shared is
 * shared again.
 */
export function restoreRootPropagation(record: ClusterRecord): void {
  if (record.sharedMounts === undefined) return;
  succeeds('mount', ['--make-rprivate', '/']);
  for (const point of record.sharedMounts)
    succeeds('mount', ['--make-shared', point]);
}

/** Unmounts everything under the given prefixes, deepest first. */
export function unmountUnder(prefixes: readonly string[]): void {
  for (let pass = 0; pass < 5; pass++) {
    const points = mounts()
      .map((m) => m.point)
      .filter((p) =>
        prefixes.some((pre) => p === pre || p.startsWith(`${pre}/`)),
      )
      .sort((a, b) => b.length - a.length);
    if (points.length === 0) return;
    for (const p of points)
      if (!succeeds('umount', [p])) succeeds('umount', ['-l', p]);
  }
}

// ---- iptables ----

export const IPTABLES = ['iptables', 'ip6tables'] as const;
const OURS = /^(KUBE-|CNI-)/;

/** `iptables-save` (or ip6tables-save) as lines with the table each belongs to; none where the tool is missing. */
export function iptablesSave(
  cmd: (typeof IPTABLES)[number],
): Array<{ table: string; line: string }> {
  if (!succeeds(`${cmd}-save`, [])) return [];
  let table = '';
  return run(`${cmd}-save`, [])
    .split('\n')
    .map((line) => {
      if (line.startsWith('*')) table = line.slice(1);
      return { table, line };
    });
}

function chains(cmd: (typeof IPTABLES)[number]): string[] {
  return iptablesSave(cmd)
    .filter(({ line }) => line.startsWith(':'))
    .map(({ table, line }) => `${cmd}/${table}/${line.slice(1).split(' ')[0]}`);
}

export function recordChains(record: ClusterRecord): void {
  record.chainsBefore ??= IPTABLES.flatMap(chains);
}

/**
 * Removes the KUBE-* and CNI-* chains that the kubelet, kube-proxy, kube-router and the CNI made, and the rules that
 * jump to them; every other rule stays. (`kube-proxy --cleanup` needs the nft tool, which this node lacks.)
 */
export function removeOurChains(record: ClusterRecord): void {
  removeChains(OURS, new Set(record.chainsBefore ?? []));
}

/** Removes the chains whose names match `ours` (but `keep`'s, as `cmd/table/chain`), their rules and the jumps to them. */
export function removeChains(
  ours: RegExp,
  keep: ReadonlySet<string> = new Set(),
): void {
  for (const cmd of IPTABLES) {
    let changed = false;
    const kept: string[] = [];
    for (const { table, line } of iptablesSave(cmd)) {
      const isOurs = (chain: string): boolean =>
        ours.test(chain) && !keep.has(`${cmd}/${table}/${chain}`);
      const declared = line.startsWith(':')
        ? line.slice(1).split(' ')[0]!
        : undefined;
      const rule = /^-A (\S+)(?:.*\s-[jg] (\S+))?/.exec(line);
      const drop =
        (declared !== undefined && isOurs(declared)) ||
        (rule !== null &&
          (isOurs(rule[1]!) || (rule[2] !== undefined && isOurs(rule[2]))));
      if (drop) changed = true;
      else kept.push(line);
    }
    if (changed)
      run(`${cmd}-restore`, [], {
        input: `${kept.join('\n')}\n`,
        hint: `${cmd}-restore could not remove the cluster's chains`,
      });
  }
}

const CGROUP_ROOT = '/sys/fs/cgroup';

/** The kubelet's cgroup hierarchy (cgroupfs driver), one directory per controller. */
export function kubepodsCgroups(): string[] {
  return existsSync(CGROUP_ROOT)
    ? readdirSync(CGROUP_ROOT).map((c) => join(CGROUP_ROOT, c, 'kubepods'))
    : [];
}

export function linkExists(name: string): boolean {
  return existsSync(`/sys/class/net/${name}`);
}
