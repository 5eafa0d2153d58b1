// The README's own commands, run as a reader runs them: read from README.md, in a shell, with the machine's kubectl
// and `pnpm exec plgkit` from the clone, against a cluster nothing else has applied the stack to. The quick start,
// then both ways to uninstall: keeping the data (and getting it back), and deleting it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import { expect, it } from 'vitest';
import { runAsync } from '../../support/exec.js';
import { codeBlocks, markdownSection } from '../../support/markdown.js';
import { KUBECONFIG } from '../../support/paths.js';
import { applyObjects, kubectl, kubectlJson } from '../harness/kubectl.js';
import { Stack } from '../harness/observe.js';
import { pods } from '../harness/pods.js';
import { NAMESPACE, REPO } from '../harness/stack.js';
import { APP_NAMESPACE, MARK, namespace } from '../harness/workloads.js';
import { eventually, lineThroughCollector } from './common.js';

const README = readFileSync(join(REPO, 'README.md'), 'utf8');

/** The shell commands of a README section's `sh` blocks, continuation lines joined, in order. */
function commandsOf(section: string): string[] {
  return codeBlocks(markdownSection(README, section), 'sh').flatMap((block) =>
    block
      .replace(/\\\n\s*/g, '')
      .split('\n')
      .filter((l) => l.trim() !== ''),
  );
}

/** One README command in bash, from the clone, with the e2e cluster's kubeconfig: exit code and both streams. */
async function sh(
  command: string,
): Promise<{ code: number | null; out: string }> {
  const t0 = Date.now();
  const { code, output: out } = await runAsync(
    'bash',
    ['-euo', 'pipefail', '-c', command],
    { cwd: REPO, env: { ...process.env, KUBECONFIG } },
  );
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(
    `$ ${command}    (exit ${code}, ${seconds} s)\n${out.replace(/^/gm, '  ')}`,
  );
  return { code, out };
}

/** Runs a README command that must succeed. */
async function succeeds(command: string): Promise<string> {
  const { code, out } = await sh(command);
  expect(code, `${command}\n${out}`).toBe(0);
  return out;
}

const quickStart = commandsOf('Quick start');
const [, apply, waitForRollouts, check] = quickStart;
/**
 * Grafana's server cannot be built or pulled here, so its Deployment never rolls out: the README's loop waits for
 * the other workloads, and the check's one ✗ is Grafana's image.
 */
const GRAFANA_ROLLOUT = ' deployment/grafana';

/** The quick start's wait for the stack, without Grafana's Deployment. */
function rollouts(): string {
  expect(waitForRollouts).toContain(GRAFANA_ROLLOUT);
  return waitForRollouts!.replace(GRAFANA_ROLLOUT, '');
}

async function waitForStack(): Promise<void> {
  const out = await succeeds(rollouts());
  const workloads = waitForRollouts!.match(/\b\w+\/[\w-]+/g) ?? [];
  expect(workloads.length).toBeGreaterThanOrEqual(6);
  // kubectl's last line per workload: "… successfully rolled out", or "partitioned roll out complete" for a
  // StatefulSet (the API server sets its rollingUpdate.partition).
  const rolledOut = out.match(/successfully rolled out|roll out complete/g);
  expect(rolledOut).toHaveLength(workloads.length - 1);
}

/** `whileInstalled` adds tests that run on the reinstalled stack, before the last uninstall deletes it. */
export function readmeSuite(whileInstalled?: () => void): void {
  const stack = new Stack(NAMESPACE);

  it("runs the README's quick start: apply, wait for every workload (Grafana's image aside), then plgkit check", async () => {
    expect(quickStart).toHaveLength(4);
    // The e2e cluster stands for minikube's.
    expect(quickStart[0]).toMatch(/^minikube start /);
    expect(apply).toBe('kubectl apply -k overlays/minikube');
    await succeeds(apply!);
    await waitForStack();
    expect(check).toMatch(/^pnpm exec plgkit check\b/);
    // Right after the rollout, as a reader runs it: Prometheus and the collector have only just started, so check
    // waits for their first data rather than fail the dashboards and logs checks.
    const { code, out } = await sh(check!);
    const failed = out.split('\n').filter((l) => l.trimStart().startsWith('✗'));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/✗ pods: grafana-.*cannot be pulled/);
    expect(code).toBe(1);
  });

  it('uninstalls keeping the data, as the README shows, and the next apply resumes with it', async () => {
    const uninstall = markdownSection(README, 'Uninstall');
    const keepData = commandsOf('Uninstall').slice(1);
    expect(keepData).toHaveLength(2);
    const resume = uninstall.match(
      /`(kubectl apply -k [^`]+)` later finds the claims ((?:`[^`]+`(?:,\s+|\s+and\s+))+`[^`]+`)/,
    );
    expect(resume, 'the sentence after the keep-data commands').not.toBeNull();
    const reapply = resume![1];
    const claims = [...resume![2]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    expect(claims.length).toBeGreaterThanOrEqual(3);

    // Something of each store's to keep: a line in Loki, and Prometheus's samples up to now.
    applyObjects([namespace(APP_NAMESPACE)]);
    const lineBefore = `${MARK} readme before uninstall ${Date.now()}`;
    const { lines } = await lineThroughCollector(
      stack,
      APP_NAMESPACE,
      'readme-before-uninstall',
      lineBefore,
    );
    expect(lines).toEqual([lineBefore]);
    const beforeUninstall = Date.now() / 1000;
    expect(stack.query('count(up)', beforeUninstall)).toHaveLength(1);

    for (const command of keepData) await succeeds(command);
    const left = await eventually(
      () => pods(NAMESPACE).map((p) => p.metadata!.name),
      (names) => names.length === 0,
      120,
    );
    expect(left).toEqual([]);
    const claimNames = kubectl([
      '-n',
      NAMESPACE,
      'get',
      'pvc',
      '-o',
      'jsonpath={.items[*].metadata.name}',
    ]).split(' ');
    expect(claimNames.sort()).toEqual([...claims].sort());
    // Grafana's Secret too (generated, so its name ends in a hash of its content).
    expect(
      kubectl(['-n', NAMESPACE, 'get', 'secrets', '-o', 'name']).split('\n'),
    ).toContainEqual(expect.stringMatching(/^secret\/grafana-admin-/));

    await succeeds(reapply!);
    await waitForStack();
    // The same line, and Prometheus's samples from before the uninstall.
    const found = await eventually(
      () =>
        stack
          .logs(`{namespace="${APP_NAMESPACE}"} |= "${lineBefore}"`, 900)
          .map((l) => l.line),
      (ls) => ls.length > 0,
      60,
    );
    expect(found).toEqual([lineBefore]);
    expect(stack.query('count(up)', beforeUninstall, '1m')).toHaveLength(1);
  });

  whileInstalled?.();

  it('uninstalls with the data, as the README says: the namespace goes, and with it the volumes', async () => {
    const volumesOfStack = () =>
      kubectlJson<{ items: PersistentVolume[] }>(['get', 'pv']).items.filter(
        (v) => v.spec?.claimRef?.namespace === NAMESPACE,
      );
    // Prometheus's, Loki's and Alertmanager's.
    expect(volumesOfStack().length).toBe(3);
    const [deleteAll] = commandsOf('Uninstall');
    expect(deleteAll).toBe('kubectl delete -k overlays/minikube');
    await succeeds(deleteAll!);
    expect(
      kubectl(['get', 'namespaces', '-o', 'name']).split('\n'),
    ).not.toContain(`namespace/${NAMESPACE}`);
    const volumes = await eventually(volumesOfStack, (v) => v.length === 0, 60);
    expect(volumes.map((v) => v.metadata?.name)).toEqual([]);
  });
}
