// pnpm e2e ends with `pnpm e2e:down`; afterwards the machine is as it was found. `down` also cleans up after a
// crash, `up` cleans up a crashed cluster before it starts, and `down` is safe to repeat. On the fresh cluster in
// between, the README's commands run by hand, so `down` must also undo what a person's `kubectl apply -k` made.
import { describe, expect, inject, it } from 'vitest';
import { runAsync } from '../../support/exec.js';
import { isAlive } from '../harness/daemons.js';
import {
  differences,
  harnessProcesses,
  hostSnapshot,
} from '../harness/snapshot.js';
import { REPO } from '../harness/stack.js';
import { readRecord } from '../harness/state.js';
import { readmeSuite } from '../suites/readme.js';
import { restartSuite } from '../suites/restart.js';

/** Runs the command as a user would; asynchronously, so the test worker stays responsive meanwhile. */
async function pnpm(script: 'e2e:up' | 'e2e:down'): Promise<string> {
  const { code, output } = await runAsync('pnpm', ['--silent', script], {
    cwd: REPO,
  });
  expect(code, output).toBe(0);
  return output;
}

/** What a crash leaves: every cluster process killed at once; the containers live on under their shims. */
async function crash(): Promise<void> {
  const record = readRecord();
  expect(record).toBeDefined();
  for (const p of record!.processes)
    if (isAlive(p)) process.kill(p.pid, 'SIGKILL');
  for (let i = 0; i < 50 && record!.processes.some(isAlive); i++)
    await new Promise((r) => setTimeout(r, 100));
  expect(record!.processes.filter(isAlive)).toEqual([]);
  expect(harnessProcesses().length).toBeGreaterThan(0);
}

it('pnpm e2e:down leaves no process, mount, network device, iptables rule, sysctl or directory behind', async () => {
  await pnpm('e2e:down');
  expect(differences(inject('hostBefore'), hostSnapshot())).toEqual([]);
});

it('pnpm e2e:up over a crashed cluster removes it first, then comes up', async () => {
  await pnpm('e2e:up');
  await crash();
  expect(await pnpm('e2e:up')).toContain('found a leftover e2e cluster');
  expect(readRecord()!.processes.every(isAlive)).toBe(true);
});

describe("the README's commands, by hand on that cluster", () =>
  readmeSuite(() =>
    describe('minikube stop and start with the stack running', restartSuite),
  ));

it('pnpm e2e:down cleans up after a crash', async () => {
  await crash();
  await pnpm('e2e:down');
  expect(differences(inject('hostBefore'), hostSnapshot())).toEqual([]);
});

it('pnpm e2e:down is safe to run again on a machine with no cluster', async () => {
  await pnpm('e2e:down');
  expect(differences(inject('hostBefore'), hostSnapshot())).toEqual([]);
});
