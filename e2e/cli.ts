// pnpm e2e:up [--runtime containerd|docker] | e2e:stop | e2e:start | e2e:down — a real one-node cluster on this
// machine (see docs/e2e.md).
import { parseArgs } from 'node:util';
import { HarnessError } from '../support/exec.js';
import { down, start, stop, up } from './harness/cluster.js';
import { phase, totalSeconds } from './harness/phases.js';
import { NODE_RUNTIMES, type NodeRuntime } from './harness/topology.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { runtime: { type: 'string', default: 'containerd' } },
});
const verb = positionals[0];
try {
  if (verb === 'up') {
    const runtime = values.runtime as NodeRuntime;
    if (!NODE_RUNTIMES.includes(runtime))
      throw new HarnessError(
        `--runtime ${runtime}: use one of ${NODE_RUNTIMES.join(', ')}`,
      );
    const r = await up({ runtime });
    console.log(
      `cluster up in ${totalSeconds().toFixed(0)} s: export KUBECONFIG=${r.kubeconfig}`,
    );
  } else if (verb === 'stop') {
    await phase('stop: every container, then the node (as minikube stop)', () =>
      stop(),
    );
  } else if (verb === 'start') {
    await phase(
      'start: the node, and every pod again (as minikube start)',
      () => start(),
    );
  } else if (verb === 'down') {
    await phase('down: remove the e2e cluster', () => down());
  } else {
    console.error(
      'usage: tsx e2e/cli.ts up [--runtime containerd|docker] | stop | start | down',
    );
    process.exit(2);
  }
} catch (e) {
  console.error(e instanceof HarnessError ? `e2e: ${e.message}` : e);
  process.exit(1);
}
