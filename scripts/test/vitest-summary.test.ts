import type { RunnerTask, RunnerTestFile } from 'vitest';
import { describe, expect, it, vi } from 'vitest';
import SummaryReporter from '../vitest-summary.js';

/** A test or a suite as the runner reports it, with only the fields the reporter reads. */
const test = (name: string, state: 'pass' | 'fail' | 'skip'): RunnerTask =>
  ({
    type: 'test',
    name,
    mode: state === 'skip' ? 'skip' : 'run',
    result: state === 'skip' ? undefined : { state },
  }) as unknown as RunnerTask;
const suite = (name: string, tasks: RunnerTask[]): RunnerTask =>
  ({
    type: 'suite',
    name,
    tasks,
    result: { state: 'pass', duration: 1500 },
  }) as unknown as RunnerTask;

const FILES = [
  {
    ...suite('e2e/test/10-overlays.e2e.test.ts', [
      suite('overlays/minikube', [
        test('applies', 'pass'),
        test('enforces each memory limit in its memory cgroup', 'skip'),
        suite('measured', [test('records the figures', 'skip')]),
      ]),
    ]),
    type: 'suite',
  },
] as unknown as RunnerTestFile[];

function printed(options: ConstructorParameters<typeof SummaryReporter>[0]) {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    new SummaryReporter(options).onFinished(FILES, []);
    return log.mock.calls.map((c) => String(c[0])).join('\n');
  } finally {
    log.mockRestore();
  }
}

describe('the e2e summary reporter', () => {
  it('names every skipped test by its groups, under the heading it is given', () => {
    const out = printed({ skipped: 'skipped, needing the node' });
    expect(out).toContain(
      [
        'skipped, needing the node (2):',
        '  overlays/minikube > enforces each memory limit in its memory cgroup',
        '  overlays/minikube > measured > records the figures',
      ].join('\n'),
    );
    expect(out).toMatch(/tests: 1 passed, 0 failed, 2 skipped$/);
  });

  it('lists no skipped tests unless asked', () => {
    expect(printed({ groups: true })).not.toContain('skipped, ');
  });
});
