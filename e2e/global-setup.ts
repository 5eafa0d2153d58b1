// pnpm e2e: snapshot the machine, bring the cluster up if it is not up, and always take it down at the end.
import type { TestProject } from 'vitest/node';
import { down, up } from './harness/cluster.js';
import { isAlive } from './harness/daemons.js';
import { type HostSnapshot, hostSnapshot } from './harness/snapshot.js';
import { readRecord } from './harness/state.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The machine before the cluster came up: `down` must restore it. */
    hostBefore: HostSnapshot;
  }
}

function clusterIsUp(): boolean {
  const record = readRecord();
  return (
    !!record &&
    ['containerd', 'kubelet', 'kube-proxy'].every((n) =>
      record.processes.some((p) => p.name === n && isAlive(p)),
    )
  );
}

export default async function setup(
  project: TestProject,
): Promise<() => Promise<void>> {
  const wasUp = clusterIsUp();
  // For development: run some tests on a cluster `pnpm e2e:up` left up, and leave it up.
  if (process.env.PLGKIT_E2E_REUSE === '1' && wasUp) {
    project.provide('hostBefore', hostSnapshot());
    return async () => {};
  }
  // A cluster started by `pnpm e2e:up` already changed the machine: compare against a fresh snapshot after down.
  if (wasUp) await down();
  project.provide('hostBefore', hostSnapshot());
  const t0 = Date.now();
  await up();
  console.log(`e2e cluster up in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return async () => {
    await down();
  };
}
