// pnpm e2e ends with `pnpm e2e:down`; afterwards the machine is as it was found, and `down` stays safe to repeat.
import { spawnSync } from 'node:child_process';
import { expect, inject, it } from 'vitest';
import { differences, hostSnapshot } from '../harness/snapshot.js';
import { REPO } from '../harness/stack.js';

function e2eDown(): { status: number | null; output: string } {
  const r = spawnSync('pnpm', ['--silent', 'e2e:down'], { cwd: REPO, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

it('pnpm e2e:down leaves no process, mount, network device, iptables rule, sysctl or directory behind', () => {
  const first = e2eDown();
  expect(first.status, first.output).toBe(0);
  expect(differences(inject('hostBefore'), hostSnapshot())).toEqual([]);
});

it('pnpm e2e:down is safe to run again on a machine with no cluster', () => {
  const again = e2eDown();
  expect(again.status, again.output).toBe(0);
  expect(differences(inject('hostBefore'), hostSnapshot())).toEqual([]);
});
