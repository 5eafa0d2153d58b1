// What `plgkit check` reports: one result per check, in the order they run, each with its problems and their fixes.

/** The checks, in order: each later one means little when an earlier one fails. */
export const CHECKS = [
  'pods',
  'permissions',
  'targets',
  'runtime',
  'logs',
  'clock',
  'dashboards',
  'rules',
  'alerting',
] as const;
export type CheckId = (typeof CHECKS)[number];

/** Something wrong, and the one line that fixes it. */
export interface Problem {
  readonly what: string;
  readonly fix: string;
}

export interface CheckResult {
  readonly check: CheckId;
  /**
   * `skip` when an earlier check's failure makes this one meaningless; `summary` says which. `wait` when what is
   * missing is only not there yet, as right after the stack started: `summary` says why, `readyAt` until when.
   */
  readonly status: 'pass' | 'fail' | 'skip' | 'wait';
  /** One line: what was checked and found. */
  readonly summary: string;
  /** For `wait`: when the missing data should be there, in ms since the epoch. */
  readonly readyAt?: number;
  readonly problems: readonly Problem[];
  /** Things that are as expected but look wrong, e.g. a panel that cannot have data on this cluster. */
  readonly notes?: readonly string[];
}

export const pass = (
  check: CheckId,
  summary: string,
  notes?: readonly string[],
): CheckResult => ({
  check,
  status: 'pass',
  summary,
  problems: [],
  ...(notes?.length ? { notes } : {}),
});
export const skip = (check: CheckId, why: string): CheckResult => ({
  check,
  status: 'skip',
  summary: why,
  problems: [],
});
export const wait = (
  check: CheckId,
  summary: string,
  readyAt: number,
): CheckResult => ({ check, status: 'wait', summary, problems: [], readyAt });
export const verdict = (
  check: CheckId,
  problems: readonly Problem[],
  summary: string,
  notes?: readonly string[],
): CheckResult =>
  problems.length === 0
    ? pass(check, summary, notes)
    : {
        check,
        status: 'fail',
        summary,
        problems,
        ...(notes?.length ? { notes } : {}),
      };

const MARK = { pass: '✓', skip: '–', wait: '…' } as const;

/** The human form: ✓, ✗, – or … and the summary per check; under each problem, its fix. */
export function formatResults(results: readonly CheckResult[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    if (r.status === 'fail') {
      for (const p of r.problems)
        lines.push(`✗ ${r.check}: ${p.what}`, `    fix: ${p.fix}`);
    } else {
      lines.push(`${MARK[r.status]} ${r.check}: ${r.summary}`);
    }
    for (const n of r.notes ?? []) lines.push(`    note: ${n}`);
  }
  return lines;
}

/** The latest moment a waiting check expects its data; undefined when no check waits. */
export function readyAt(results: readonly CheckResult[]): number | undefined {
  const times = results
    .filter((r) => r.status === 'wait')
    .map((r) => r.readyAt ?? 0);
  return times.length > 0 ? Math.max(...times) : undefined;
}
