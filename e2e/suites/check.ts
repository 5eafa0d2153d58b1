// `plgkit check` on the live stack. Healthy, every check passes in under 30 s, but on the harness's cluster the pods
// check, whose one ✗ is Grafana's image (it cannot be had here); the faults suite injects each known outage and
// expects its ✗ and fix.
import type { CheckId, CheckResult } from '@plgkit/cli';
import { expect, it } from 'vitest';
import { sleep } from '../harness/daemons.js';
import { plgkit } from '../harness/kubectl.js';
import type { Stack } from '../harness/observe.js';
import { GRAFANA_RUNS } from '../harness/target.js';

export interface CheckRun {
  readonly code: number;
  readonly results: CheckResult[];
  readonly seconds: number;
}

/**
 * `plgkit check --json` against the e2e cluster, as a user runs it (kubeconfig only, no port-forward). With
 * `--no-wait`: the suites wait for a settled stack themselves, and time each run.
 */
export async function runCheck(namespace: string): Promise<CheckRun> {
  const t0 = Date.now();
  const { code, out } = await plgkit([
    'check',
    '--json',
    '--no-wait',
    `--namespace=${namespace}`,
  ]);
  const seconds = (Date.now() - t0) / 1000;
  try {
    return {
      code,
      results: JSON.parse(out.join('\n')) as CheckResult[],
      seconds,
    };
  } catch {
    throw new Error(
      `plgkit check printed no JSON (exit ${code}):\n${out.join('\n')}`,
    );
  }
}

export const resultOf = (run: CheckRun, check: CheckId): CheckResult =>
  run.results.find((r) => r.check === check)!;

/** The problems of one check, as `what ⟶ fix` lines. */
export const problemsOf = (run: CheckRun, check: CheckId): string[] =>
  resultOf(run, check).problems.map((p) => `${p.what} ⟶ ${p.fix}`);

export function checkSuite(stack: Stack): void {
  it(`plgkit check: every check passes${GRAFANA_RUNS ? '' : " but the pods check, whose one ✗ is Grafana's image, with its fix"}; in under 30 s`, async () => {
    /** The checks expected to fail: the pods check where Grafana's image cannot be had. */
    const failing = GRAFANA_RUNS ? '' : 'pods';
    // After durability's restarts Prometheus may still be scraping its targets for the first time, and after the logs
    // suite's ghost node its DaemonSet pods linger: the first run that sees a settled stack is held to the
    // expectations (each run is timed).
    // The logs suite's ghost node leaves DaemonSet pods Pending until the controller removes them after the node.
    const settled = (r: CheckRun) =>
      r.results
        .filter((x) => x.status !== 'pass')
        .map((x) => x.check)
        .join() === failing &&
      resultOf(r, 'pods').problems.length === (GRAFANA_RUNS ? 0 : 1) &&
      !r.results.some((x) =>
        x.notes?.some((n) => /not (scraped|evaluated) yet/.test(n)),
      );
    let run = await runCheck(stack.namespace);
    for (
      const deadline = Date.now() + 120_000;
      !settled(run) && Date.now() < deadline;
      run = await runCheck(stack.namespace)
    )
      await sleep(5000);
    const { out } = await plgkit([
      'check',
      '--no-wait',
      `--namespace=${stack.namespace}`,
    ]);
    console.log(
      `plgkit check in ${run.seconds.toFixed(1)} s:\n${out.map((l) => `  ${l}`).join('\n')}`,
    );
    expect(run.results.map((r) => `${r.check}: ${r.status}`)).toEqual([
      `pods: ${GRAFANA_RUNS ? 'pass' : 'fail'}`,
      'permissions: pass',
      'targets: pass',
      'runtime: pass',
      'logs: pass',
      'clock: pass',
      'dashboards: pass',
      'rules: pass',
      'alerting: pass',
    ]);
    expect(resultOf(run, 'alerting').summary).toMatch(
      /answers with its config loaded; Prometheus sends to 1;/,
    );
    expect(problemsOf(run, 'pods')).toEqual(
      GRAFANA_RUNS
        ? []
        : [
            expect.stringMatching(
              /^grafana-\S+\/grafana: image docker\.io\/grafana\/grafana:\S+ cannot be pulled \((ErrImagePull|ImagePullBackOff)\) ⟶ make docker\.io\/grafana\/grafana:\S+ reachable from the node/,
            ),
          ],
    );
    // The one panel that cannot have data here is explained, not failed.
    expect(resultOf(run, 'dashboards').notes).toEqual([
      expect.stringMatching(
        /^Cluster overview \/ Volumes used has no data: no PersistentVolume here reports volume statistics/,
      ),
    ]);
    expect(run.code).toBe(GRAFANA_RUNS ? 0 : 1);
    expect(run.seconds).toBeLessThan(30);
  });
}
