// What the e2e cluster measured, kept in e2e/measured.json: each container's memory after 10 minutes of the data-path
// tests and a fresh log burst, and the series each scrape job stores. docs/measured.md's figures are rendered from it (a
// unit test holds them), the overlays' limits must leave headroom over its peaks (a unit test), and each e2e run
// checks that the cluster still measures within a band of it, or says how to record it anew.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STACK } from './versions.js';

export const MEASURED_FILE = join(import.meta.dirname, '../e2e/measured.json');

/** Re-record instead of comparing: `PLGKIT_E2E_RECORD=1 pnpm e2e`. */
export const RECORDING = process.env.PLGKIT_E2E_RECORD === '1';

/** The minutes of scraping and log traffic before memory is read. */
export const MEASURE_AFTER_MINUTES = 10;

/** A limit must be at least this many times the measured peak. */
export const LIMIT_HEADROOM = 1.5;

export interface ContainerMemory {
  /** The component (`app.kubernetes.io/name`) and its container. */
  readonly component: string;
  readonly container: string;
  /** Resident set (`total_rss` of the memory cgroup), MiB. */
  readonly rssMiB: number;
  /** The cgroup's `max_usage_in_bytes` since the container started (page cache included), MiB. */
  readonly peakMiB: number;
  readonly limitMiB: number;
}

export interface OverlayMeasurement {
  readonly overlay: string;
  readonly date: string;
  /** Minutes from the apply to the reading. */
  readonly minutes: number;
  readonly memory: readonly ContainerMemory[];
  /** Series per scrape job, from `count by (job) ({__name__=~".+"})`; `(rules)` is what recording rules store. */
  readonly series: Readonly<Record<string, number>>;
  readonly headSeries: number;
}

export interface MeasuredRecord {
  /** The versions the figures belong to: a version bump asks for a new measurement. */
  readonly versions: Readonly<Record<string, string>>;
  readonly kubernetes: string;
  readonly runtime: string;
  readonly overlays: Readonly<Record<string, OverlayMeasurement>>;
}

/** The stack's pinned versions, as the record keeps them (Grafana has none here: it is not measured). */
/** The versions the measured overlays run: every pinned component but Alloy, which neither of them runs. */
export function pinnedVersions(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(STACK).flatMap(([k, v]) =>
      'version' in v && k !== 'alloy' ? [[k, v.version]] : [],
    ),
  );
}

export function readMeasured(): MeasuredRecord {
  return JSON.parse(readFileSync(MEASURED_FILE, 'utf8')) as MeasuredRecord;
}

export function writeMeasured(record: MeasuredRecord): void {
  writeFileSync(MEASURED_FILE, `${JSON.stringify(record, null, 2)}\n`);
}

/**
 * Whether a live figure is still the recorded one, give or take what one run differs from the next: within half and
 * twice the record, with a small absolute slack for tiny figures.
 */
export function withinBand(
  live: number,
  recorded: number,
  slack: number,
): boolean {
  return live >= recorded / 2 - slack && live <= recorded * 2 + slack;
}

/** The differences between a live measurement and the record, each naming the figure; none means it still holds. */
export function driftFrom(
  recorded: OverlayMeasurement,
  live: OverlayMeasurement,
): string[] {
  const problems: string[] = [];
  for (const r of recorded.memory) {
    const l = live.memory.find(
      (m) => m.component === r.component && m.container === r.container,
    );
    if (!l) problems.push(`${r.component}/${r.container}: not measured now`);
    else if (!withinBand(l.peakMiB, r.peakMiB, 8))
      problems.push(
        `${r.component}/${r.container}: peak ${l.peakMiB} MiB, recorded ${r.peakMiB} MiB`,
      );
  }
  for (const [job, n] of Object.entries(recorded.series)) {
    const now = live.series[job] ?? 0;
    if (!withinBand(now, n, 50))
      problems.push(`job ${job}: ${now} series, recorded ${n}`);
  }
  for (const job of Object.keys(live.series))
    if (!(job in recorded.series))
      problems.push(
        `job ${job}: ${live.series[job]} series, not in the record`,
      );
  return problems;
}

const mib = (n: number) => `${n} MiB`;

/** docs/measured.md's memory table: each container's limit on the overlay beside its measured RSS and peak. */
export function memoryTable(m: OverlayMeasurement): string {
  const rows = [...m.memory].sort(
    (a, b) => b.peakMiB - a.peakMiB || a.component.localeCompare(b.component),
  );
  return [
    '| container | limit | measured RSS | measured peak | limit / peak |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.component} | ${mib(r.limitMiB)} | ${mib(r.rssMiB)} | ${mib(r.peakMiB)} | ${(r.limitMiB / r.peakMiB).toFixed(1)}× |`,
    ),
  ].join('\n');
}

/** docs/measured.md's series table: what each scrape job stores, largest first, and the head. */
export function seriesTable(m: OverlayMeasurement): string {
  const rows = Object.entries(m.series).sort(
    (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
  );
  return [
    '| scrape job | series stored |',
    '| --- | ---: |',
    ...rows.map(([job, n]) => `| ${job} | ${n} |`),
    `| **head series** | **${m.headSeries}** |`,
  ].join('\n');
}
