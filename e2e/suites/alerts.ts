// Once the stack has warmed up, no alert fires but those a test caused or Grafana's missing image causes.
import { expect, it } from 'vitest';
import type { Alert, Stack } from '../harness/observe.js';
import { APP_NAMESPACE } from '../harness/workloads.js';

/** Alerts the fault tests cause on purpose, by name and the namespace they name. */
const CAUSED: ReadonlyArray<(a: Alert) => boolean> = [
  (a) =>
    a.labels.alertname === 'ContainerOOMKilled' &&
    a.labels.namespace === APP_NAMESPACE,
  // Test (e) makes the collector drop a line with an old timestamp.
  (a) => a.labels.alertname === 'LogCollectorDroppingEntries',
];

export function alertsSuite(stack: Stack): void {
  it('fires no alert but those the tests caused and those naming Grafana, whose image cannot be had here', () => {
    const firing = stack.alerts().filter((a) => a.state === 'firing');
    console.log(
      `alerts: firing ${
        firing
          .map(
            (a) =>
              `${a.labels.alertname}{${Object.entries(a.labels)
                .filter(([k]) => k !== 'alertname')
                .map(([k, v]) => `${k}=${v}`)
                .join(',')}}`,
          )
          .join(' ') || 'none'
      }`,
    );
    const unexplained = firing.filter(
      (a) =>
        !CAUSED.some((c) => c(a)) &&
        !Object.values(a.labels).some((v) => /grafana/.test(v)),
    );
    expect(
      unexplained.map(
        (a) => `${a.labels.alertname}: ${a.annotations.description}`,
      ),
    ).toEqual([]);
  });
}
