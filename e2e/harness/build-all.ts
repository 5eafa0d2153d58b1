// Builds (or finds in the cache) every binary the e2e cluster needs. `tsx e2e/harness/build-all.ts` runs it alone.
import { goBuild } from './go-build.js';
import { phase } from './phases.js';
import { allRecipes } from './recipes.js';

export async function buildAll(): Promise<Record<string, string>> {
  const bins: Record<string, string> = {};
  for (const r of allRecipes()) {
    Object.assign(bins, await phase(`binaries: ${r.id} ${r.version}`, () => goBuild(r)));
  }
  return bins;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildAll().then(
    (b) => console.log(Object.keys(b).join(' ')),
    (e: Error) => {
      console.error(e.message);
      process.exit(1);
    },
  );
}
