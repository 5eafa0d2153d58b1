// Series stored per fixture by a real Prometheus: the payload, what an unfiltered scrape keeps, and what the
// generated relabeling keeps. Run: pnpm bench:series (needs Debian's `prometheus` on PATH).
import { FIXTURES, payloadSeries, withFixturePrometheus } from './lib/fixture-prometheus.js';

const rows = await withFixturePrometheus(async (p) => {
  const counts = await p.query('count by (fixture, stage) ({__name__!~"up|scrape_.+|ALERTS.*|.+:.+", stage!=""})');
  const count = (fixture: string, stage: string) => counts.find((s) => s.metric.fixture === fixture && s.metric.stage === stage)?.value ?? 0;
  return FIXTURES.map((f) => ({ fixture: f.name, job: f.job, payload: payloadSeries(f), raw: count(f.name, 'raw'), kept: count(f.name, 'kept') }));
});

// A cluster runs one runtime: its total is every other fixture plus that runtime's cAdvisor.
const cluster = (runtime: string) =>
  rows
    .filter((r) => !r.fixture.startsWith('cadvisor-') || r.fixture === `cadvisor-${runtime}`)
    .reduce((t, r) => ({ payload: t.payload + r.payload, raw: t.raw + r.raw, kept: t.kept + r.kept }), { payload: 0, raw: 0, kept: 0 });
const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
console.log(line(['fixture', 'job', 'payload', 'raw', 'kept', 'kept/raw']));
console.log(line(['---', '---', '---:', '---:', '---:', '---:']));
for (const r of rows) console.log(line([r.fixture, r.job, r.payload, r.raw, r.kept, `${((100 * r.kept) / r.raw).toFixed(1)}%`]));
for (const runtime of ['docker', 'containerd']) {
  const t = cluster(runtime);
  console.log(line([`**3-node ${runtime} cluster**`, '', t.payload, t.raw, t.kept, `${((100 * t.kept) / t.raw).toFixed(1)}%`]));
}
