// pnpm e2e:up | e2e:down — a real one-node cluster on this machine (see README, "End-to-end tests").
import { down, up } from './harness/cluster.js';
import { HarnessError } from './harness/exec.js';
import { phase, totalSeconds } from './harness/phases.js';

const verb = process.argv[2];
try {
  if (verb === 'up') {
    const r = await up();
    console.log(`cluster up in ${totalSeconds().toFixed(0)} s: export KUBECONFIG=${r.kubeconfig}`);
  } else if (verb === 'down') {
    await phase('down: remove the e2e cluster', () => down());
  } else {
    console.error('usage: tsx e2e/cli.ts up|down');
    process.exit(2);
  }
} catch (e) {
  console.error(e instanceof HarnessError ? `e2e: ${e.message}` : e);
  process.exit(1);
}
