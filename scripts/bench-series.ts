// Series stored per fixture by a real Prometheus: what an unfiltered scrape keeps (the payload) and what the
// generated relabeling keeps; the "Metrics kept" table of docs/measured.md. Run: pnpm bench:series.
import {
  FIXTURES,
  seriesRow,
  storedSeries,
  withFixturePrometheus,
} from '../support/fixture-prometheus.js';

const stored = await withFixturePrometheus(storedSeries);
console.log('| payload | job | source | exposed | stored |');
console.log('| --- | --- | --- | ---: | ---: |');
for (const f of FIXTURES) console.log(seriesRow(f, stored.get(f.name)!));
