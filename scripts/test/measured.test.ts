// docs/measured.md's memory and series figures are the e2e cluster's (e2e/measured.json, written by
// `PLGKIT_E2E_RECORD=1 pnpm e2e`), for the versions pinned now, and every overlay's limits leave headroom over them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseQuantity } from '@plgkit/core';
import { describe, expect, it } from 'vitest';
import { allContainers, workloads } from '../../support/inspect.js';
import {
  driftFrom,
  LIMIT_HEADROOM,
  memoryTable,
  type OverlayMeasurement,
  pinnedVersions,
  readMeasured,
  seriesTable,
} from '../../support/measured.js';
import { rendered } from './helpers.js';

const DOC = readFileSync(
  join(import.meta.dirname, '../../docs/measured.md'),
  'utf8',
);
const record = readMeasured();
const DEFAULT_OVERLAY = 'minikube';

/** Each container's memory limit in MiB on a rendered overlay, by component (`app.kubernetes.io/name`) and container. */
function limits(overlay: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const w of workloads(rendered(overlay))) {
    const component =
      w.spec?.template?.metadata?.labels?.['app.kubernetes.io/name'] ??
      w.metadata.name;
    for (const c of allContainers(w)) {
      const limit = c.resources?.limits?.memory;
      if (limit)
        out.set(
          `${component}/${c.name}`,
          Math.round(parseQuantity(String(limit)) / 2 ** 20),
        );
    }
  }
  return out;
}

describe('e2e/measured.json', () => {
  it('was measured with the versions pinned now (a bump asks for PLGKIT_E2E_RECORD=1 pnpm e2e)', () => {
    expect(record.versions).toEqual(pinnedVersions());
  });

  it('has the default overlay and the containerd overlay, each after at least 10 minutes', () => {
    expect(Object.keys(record.overlays).sort()).toEqual([
      'containerd',
      'minikube',
    ]);
    for (const m of Object.values(record.overlays))
      expect(m.minutes).toBeGreaterThanOrEqual(10);
  });

  it.each(Object.keys(record.overlays))(
    '%s: was measured with the limits the overlay sets now',
    (overlay) => {
      const now = limits(overlay);
      for (const m of record.overlays[overlay]!.memory)
        expect(
          now.get(`${m.component}/${m.container}`),
          `${m.component}/${m.container}`,
        ).toBe(m.limitMiB);
    },
  );

  it.each(Object.keys(record.overlays))(
    `%s: gives every container a limit of at least ${LIMIT_HEADROOM}× its measured peak`,
    (overlay) => {
      const tight = record.overlays[overlay]!.memory.filter(
        (m) => m.limitMiB < LIMIT_HEADROOM * m.peakMiB,
      );
      expect(
        tight.map(
          (m) =>
            `${m.component}: limit ${m.limitMiB} MiB, peak ${m.peakMiB} MiB`,
        ),
      ).toEqual([]);
    },
  );
});

describe('docs/measured.md', () => {
  const measured = record.overlays[DEFAULT_OVERLAY]!;

  it('shows the memory table of the default overlay, limits beside measured RSS and peaks', () => {
    expect(DOC).toContain(memoryTable(measured));
  });

  it('shows the series each scrape job stores on the default overlay', () => {
    expect(DOC).toContain(seriesTable(measured));
  });

  it('says where, when and with which versions it was measured', () => {
    expect(DOC).toContain(`measured on the e2e cluster on ${measured.date}`);
    for (const v of Object.values(record.versions))
      expect(DOC).toContain(v.replace(/^v/, ''));
  });
});

describe('drift from the record', () => {
  const base: OverlayMeasurement = {
    overlay: 'x',
    date: '2026-11-27',
    minutes: 10,
    memory: [
      {
        component: 'loki',
        container: 'loki',
        rssMiB: 60,
        peakMiB: 80,
        limitMiB: 384,
      },
    ],
    series: { prometheus: 900, 'kubernetes-apiservers': 5 },
    headSeries: 905,
  };

  it('holds for the same figures and for a run that differs as runs do', () => {
    expect(driftFrom(base, base)).toEqual([]);
    expect(
      driftFrom(base, {
        ...base,
        memory: [{ ...base.memory[0]!, peakMiB: 120 }],
        series: { prometheus: 1200, 'kubernetes-apiservers': 5 },
      }),
    ).toEqual([]);
  });

  it('names a peak that doubled, a job that grew tenfold, and a job that is new', () => {
    const live = {
      ...base,
      memory: [{ ...base.memory[0]!, peakMiB: 200 }],
      series: { prometheus: 900, 'kubernetes-apiservers': 28605, extra: 10 },
    };
    expect(driftFrom(base, live)).toEqual([
      'loki/loki: peak 200 MiB, recorded 80 MiB',
      'job kubernetes-apiservers: 28605 series, recorded 5',
      'job extra: 10 series, not in the record',
    ]);
  });
});
