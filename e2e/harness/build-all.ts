// Builds (or finds in the cache) every binary the e2e cluster needs. `tsx e2e/harness/build-all.ts` runs it alone.
import { goBuild } from '../../support/go-build.js';
import { allRecipes, ON_DEMAND } from '../../support/recipes.js';
import { phase } from './phases.js';

export async function buildAll(): Promise<Record<string, string>> {
  const bins: Record<string, string> = {};
  for (const r of allRecipes()) {
    Object.assign(
      bins,
      await phase(`binaries: ${r.id} ${r.version}`, () => goBuild(r)),
    );
  }
  return bins;
}

/** Builds the named on-demand recipes (e.g. `alloy`), as .ci/run does in the background. */
export async function buildOnDemand(
  ids: readonly string[],
): Promise<Record<string, string>> {
  const bins: Record<string, string> = {};
  for (const id of ids) {
    const recipe = ON_DEMAND.find((r) => r.id === id);
    if (!recipe)
      throw new Error(
        `no on-demand recipe ${id}: ${ON_DEMAND.map((r) => r.id).join(', ')}`,
      );
    Object.assign(
      bins,
      await phase(`binaries: ${recipe.id} ${recipe.version}`, () =>
        goBuild(recipe),
      ),
    );
  }
  return bins;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const ids = process.argv.slice(2);
  (ids.length > 0 ? buildOnDemand(ids) : buildAll()).then(
    (b) => console.log(Object.keys(b).join(' ')),
    (e: Error) => {
      console.error(e.message);
      process.exit(1);
    },
  );
}
