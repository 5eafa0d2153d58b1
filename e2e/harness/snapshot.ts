// The machine's state as far as the harness can change it, so a test can assert `down` left it as it was found.
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { run, succeeds } from '../../support/exec.js';
import {
  BIN_CACHE,
  HOST_PATHS,
  RUN_DIR,
  STATE_DIR,
} from '../../support/paths.js';
import { DOCKER_DATA_ROOT, DOCKER_TRUST_KEY } from './docker-node.js';
import {
  IPTABLES,
  iptablesSave,
  kubepodsCgroups,
  mounts,
  SYSCTLS,
} from './host.js';
import { KUBERNETES_DIR } from './kubeadm.js';
import { stackHostPaths } from './stack-host-paths.js';

export interface HostSnapshot {
  readonly paths: Record<string, boolean>;
  readonly mounts: string[];
  readonly sharedMounts: string[];
  readonly links: string[];
  readonly chains: string[];
  /** ipsets (kube-router's, in the network policies groups); none where the tool is not installed. */
  readonly sets: string[];
  readonly sysctls: Record<string, string>;
}

/**
 * Where the cluster writes on the host: its own directories, kubeadm's /etc/kubernetes, the kubelet's log and netns
 * directories, its cgroups,
 * and the stack's hostPath directories with the parents the kubelet makes for them (the collectors' positions; the
 * docker containers directory that the auto overlay creates on a containerd node); a docker node's data root and
 * trust key.
 */
function watchedPaths(): string[] {
  return [
    ...HOST_PATHS,
    KUBERNETES_DIR,
    ...stackHostPaths().flatMap(withAncestors),
    DOCKER_DATA_ROOT,
    DOCKER_TRUST_KEY,
    ...kubepodsCgroups(),
  ];
}

/** A path and each directory above it: the kubelet creates missing parents, so any of them can be left behind. */
function withAncestors(path: string): string[] {
  return path === dirname(path) ? [] : [path, ...withAncestors(dirname(path))];
}

/**
 * A built-in chain with no rule and the default ACCEPT policy is what a table that was never used has: with the nft
 * flavour of iptables the table appears once anything touched it, and iptables cannot delete it again.
 */
const UNUSED_BUILTIN =
  /^:(PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING) ACCEPT /;

/** Every chain and rule, without packet counters, but for built-in chains left at their defaults. */
function chainsAndRules(): string[] {
  return IPTABLES.flatMap((cmd) =>
    iptablesSave(cmd)
      .filter(
        ({ line }) =>
          (line.startsWith(':') && !UNUSED_BUILTIN.test(line)) ||
          line.startsWith('-A'),
      )
      .map(
        ({ table, line }) =>
          `${cmd}/${table}/${line.replace(/\[\d+:\d+\]/, '')}`,
      ),
  ).sort();
}

export function hostSnapshot(): HostSnapshot {
  const all = mounts();
  return {
    paths: Object.fromEntries(watchedPaths().map((p) => [p, existsSync(p)])),
    mounts: all.map((m) => m.point).sort(),
    sharedMounts: all
      .filter((m) => m.shared)
      .map((m) => m.point)
      .sort(),
    links: readdirSync('/sys/class/net').sort(),
    chains: chainsAndRules(),
    sets: succeeds('ipset', ['--version'])
      ? run('ipset', ['list', '-n']).split('\n').filter(Boolean).sort()
      : [],
    sysctls: Object.fromEntries(
      SYSCTLS.filter((k) => existsSync(`/proc/sys/${k}`)).map((k) => [
        k,
        readFileSync(`/proc/sys/${k}`, 'utf8').trim(),
      ]),
    ),
  };
}

/** Processes the harness started or that run in the cluster's containers. */
export function harnessProcesses(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const exe = readlinkSync(`/proc/${pid}/exe`);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(
        /\0/g,
        ' ',
      );
      const cgroup = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
      const ours =
        exe.startsWith(BIN_CACHE) ||
        cmdline.includes(RUN_DIR) ||
        cmdline.includes(STATE_DIR) ||
        cgroup.includes('/kubepods');
      if (ours) found.push(`${pid} ${cmdline.trim().slice(0, 120)}`);
    } catch {
      // exited meanwhile, or a kernel thread
    }
  }
  return found;
}

/** What differs between two snapshots, one line each; empty when the machine is as it was. */
export function differences(
  before: HostSnapshot,
  after: HostSnapshot,
): string[] {
  const out: string[] = [];
  const added = (a: string[], b: string[]): string[] =>
    b.filter((x) => !a.includes(x));
  for (const [p, existed] of Object.entries(before.paths))
    if (after.paths[p] !== existed)
      out.push(`path ${p}: ${existed ? 'removed' : 'left behind'}`);
  for (const m of added(before.mounts, after.mounts))
    out.push(`mount left behind: ${m}`);
  for (const m of added(before.sharedMounts, after.sharedMounts))
    out.push(`mount left shared: ${m}`);
  for (const l of added(before.links, after.links))
    out.push(`network device left behind: ${l}`);
  for (const c of added(before.chains, after.chains))
    out.push(`iptables left behind: ${c}`);
  for (const set of added(before.sets, after.sets))
    out.push(`ipset left behind: ${set}`);
  for (const [k, v] of Object.entries(before.sysctls))
    if (after.sysctls[k] !== v)
      out.push(`sysctl ${k}: ${v} before, ${after.sysctls[k]} after`);
  for (const p of harnessProcesses()) out.push(`process left running: ${p}`);
  return out;
}
