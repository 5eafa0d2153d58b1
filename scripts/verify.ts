// Renders every overlay with the real `kubectl kustomize`, validates every object strictly, and runs the checks
// for the overlay's runtime. Prints one line per overlay and every problem; exits 1 if there is any.

import { validateStrict } from '@plgkit/cli';
import { overlayNames, renderOverlay } from '../support/render.js';
import { memoryBudget } from './lib/budget.js';
import { checksFor } from './lib/checks.js';
import { overlaySpec } from './lib/overlays.js';

let failed = false;
for (const name of overlayNames()) {
  const { spec, listed } = overlaySpec(name);
  const objects = renderOverlay(name);
  const problems = [
    ...validateStrict(objects).map((p) => `${p.object}: ${p.message}`),
    ...checksFor(spec).flatMap((c) =>
      c.run(objects).map((p) => `${c.name}: ${p}`),
    ),
  ];
  const budget = memoryBudget(objects);
  console.log(
    `${problems.length ? '✗' : '✓'} overlays/${name} (${spec.runtime}): ${objects.length} objects, memory requests ${budget.requestsMi}Mi, limits ${budget.limitsMi}Mi`,
  );
  for (const p of problems) console.log(`    ${p}`);
  if (!listed)
    console.log(
      `    note: not listed in scripts/lib/overlays.ts: checked for its ${spec.runtime} Component, with no development password`,
    );
  if (!spec.devCredentials) {
    console.log(
      '    note: this overlay ships no Grafana password; create the Secret monitoring/grafana-admin first (README, "Log in")',
    );
  }
  failed ||= problems.length > 0;
}
process.exit(failed ? 1 : 0);
