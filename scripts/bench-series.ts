// Series stored per fixture by a real Prometheus: the payload, what an unfiltered scrape keeps, and what the
// generated relabeling keeps. Run: pnpm bench:series (needs Debian's `prometheus` on PATH).
import { clusterSeries, FIXTURES, payloadSeries, storedSeries, withFixturePrometheus } from './lib/fixture-prometheus.js';

const stored = await withFixturePrometheus(storedSeries);
const ratio = (kept: number, raw: number) => `${((100 * kept) / raw).toFixed(1)}%`;
const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
console.log(line(['fixture', 'job', 'payload', 'raw', 'kept', 'kept/raw']));
console.log(line(['---', '---', '---:', '---:', '---:', '---:']));
for (const f of FIXTURES) {
  const s = stored.get(f.name)!;
  console.log(line([f.name, f.job, payloadSeries(f), s.raw, s.kept, ratio(s.kept, s.raw)]));
}
for (const runtime of ['docker', 'containerd'] as const) {
  const t = clusterSeries(stored, runtime);
  console.log(line([`**3-node ${runtime} cluster**`, '', '', t.raw, t.kept, ratio(t.kept, t.raw)]));
}
