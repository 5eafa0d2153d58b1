// What names one run of the node's pods: its containers' and sandboxes' IDs, its pods' IPs, the node's ends of their
// network devices, and their log files. A node stop and start gives every pod new ones, so a series that appeared
// with the start and carries one of the new names is a new container's or sandbox's own.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { run } from '../../support/exec.js';
import { nodeContainerIds } from './cluster.js';

const POD_LOGS = '/var/log/pods';

export interface Identities {
  /** Container and sandbox IDs (64 hex digits): found anywhere in a label value (cgroup paths, mount points). */
  readonly ids: ReadonlySet<string>;
  /** Pod IPs, network devices and log files: a label value must be one of them. */
  readonly values: ReadonlySet<string>;
}

/** The node's network devices, by name (`veth1ddb92db`, not `veth1ddb92db@if2`). */
function networkDevices(): string[] {
  return run('ip', ['-o', 'link', 'show'])
    .split('\n')
    .flatMap((l) => /^\d+: ([^:@\s]+)/.exec(l)?.[1] ?? []);
}

/** Every container's log file: /var/log/pods/<namespace>_<pod>_<uid>/<container>/<restart count>.log. */
function logFiles(): string[] {
  const below = (dir: string): string[] => {
    try {
      return readdirSync(dir).map((n) => join(dir, n));
    } catch {
      return []; // gone between the listing and the read: a pod deleted meanwhile
    }
  };
  return below(POD_LOGS)
    .flatMap(below)
    .flatMap(below)
    .filter((f) => f.endsWith('.log'));
}

/** What names the node's pods now; `pods` gives their IPs. */
export function nodeIdentities(pods: Pod[]): Identities {
  return {
    ids: new Set(nodeContainerIds()),
    values: new Set([
      ...pods.flatMap((p) =>
        (p.status?.podIPs ?? []).flatMap((ip) => ip.ip ?? []),
      ),
      ...networkDevices(),
      ...logFiles(),
    ]),
  };
}

/** The names in `after` that `before` did not have. */
export function newIdentities(
  before: Identities,
  after: Identities,
): Identities {
  return {
    ids: new Set([...after.ids].filter((id) => !before.ids.has(id))),
    values: new Set([...after.values].filter((v) => !before.values.has(v))),
  };
}

/** Whether one of the series' label values names one of `identities`. */
export function carriesIdentity(
  labels: Record<string, string>,
  identities: Identities,
): boolean {
  const ids = [...identities.ids];
  return Object.values(labels).some(
    (v) => identities.values.has(v) || ids.some((id) => v.includes(id)),
  );
}
