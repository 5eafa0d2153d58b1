// The README names exactly the panels the e2e run lists as unable to have data on its cluster (support/no-data.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledDashboards, panelsOf } from '@plgkit/grafana';
import { describe, expect, it } from 'vitest';
import { NO_DATA_HERE } from '../../support/no-data.js';

const README = readFileSync(
  join(import.meta.dirname, '../../README.md'),
  'utf8',
);
const section = README.slice(
  README.indexOf('**No "No Data".**'),
  README.indexOf('**Alerts**'),
);

describe('the README on panels without data', () => {
  it('lists only panels that exist, by dashboard, panel and query', () => {
    const existing = Object.values(bundledDashboards()).flatMap((d) =>
      panelsOf(d).flatMap((p) =>
        p.targets.map((t) => `${d.title} / ${p.title} (${t.refId})`),
      ),
    );
    expect(
      Object.keys(NO_DATA_HERE).filter((k) => !existing.includes(k)),
    ).toEqual([]);
  });

  it('names each listed panel in bold in its Dashboards section, and no other', () => {
    expect(section.length).toBeGreaterThan(100);
    const named = [...section.matchAll(/\*\*([^*]+)\*\*/g)]
      .map((m) => m[1])
      .filter((n) => n !== 'No "No Data".');
    const listed = Object.keys(NO_DATA_HERE).map(
      (k) => /^[^/]+ \/ (.+) \([A-Z]\)$/.exec(k)![1],
    );
    expect(named).toEqual(listed);
  });
});
