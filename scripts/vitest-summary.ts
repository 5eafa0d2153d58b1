// A vitest reporter that ends the run with one plain line, "tests: N passed, N failed, N skipped", which CI reads,
// after each group's time (a describe block with tests of its own or groups inside: e2e's overlays and their parts).
import type { Reporter, RunnerTask, RunnerTestFile } from 'vitest';

function count(
  tasks: readonly RunnerTask[],
  totals: { passed: number; failed: number; skipped: number },
): void {
  for (const t of tasks) {
    if (t.type === 'suite') count(t.tasks, totals);
    else if (t.result?.state === 'pass') totals.passed++;
    else if (t.result?.state === 'fail') totals.failed++;
    else totals.skipped++;
  }
}

/** The name path of each test that did not run. */
function skipped(
  tasks: readonly RunnerTask[],
  path: string[],
  out: string[],
): void {
  for (const t of tasks) {
    if (t.type === 'suite') skipped(t.tasks, [...path, t.name], out);
    else if (t.mode === 'skip' || t.result?.state === 'skip')
      out.push(`  ${[...path, t.name].join(' > ')}`);
  }
}

/** Each suite's name path and duration, the whole suite's time including its hooks. */
function groups(
  tasks: readonly RunnerTask[],
  path: string[],
  out: string[],
): void {
  for (const t of tasks) {
    if (t.type !== 'suite') continue;
    const name = [...path, t.name];
    const seconds = (t.result?.duration ?? 0) / 1000;
    out.push(
      `  ${name.join(' > ')}: ${seconds.toFixed(1)} s ${t.result?.state === 'fail' ? '(failed)' : ''}`.trimEnd(),
    );
    groups(t.tasks, name, out);
  }
}

export default class SummaryReporter implements Reporter {
  /**
   * `groups`: print each group's time first (the e2e config asks for it). `skipped`: name each test that did not run,
   * under that heading (an outside run of the e2e suites names what it could not check there).
   */
  constructor(
    private readonly options: { groups?: boolean; skipped?: string } = {},
  ) {}

  onFinished(files: RunnerTestFile[] = [], errors: unknown[] = []): void {
    const totals = { passed: 0, failed: 0, skipped: 0 };
    count(files, totals);
    const lines: string[] = [];
    if (this.options.groups) for (const f of files) groups(f.tasks, [], lines);
    if (lines.length > 0) console.log(`time per group:\n${lines.join('\n')}`);
    if (this.options.skipped) {
      const names: string[] = [];
      for (const f of files) skipped(f.tasks, [], names);
      console.log(
        `${this.options.skipped} (${names.length}):\n${names.join('\n') || '  none'}`,
      );
    }
    // A file that failed to load has no tests; count it as a failure so the line never reads all green.
    totals.failed +=
      files.filter((f) => f.result?.state === 'fail' && f.tasks.length === 0)
        .length + errors.length;
    console.log(
      `tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`,
    );
  }
}
