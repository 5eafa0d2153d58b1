import { type Dashboard, dashboard, LOKI, variable } from './model.js';

const SELECTOR =
  '{namespace=~"$namespace", pod=~"$pod", container=~"$container"}';

/** Pod logs from Loki, filtered by namespace, pod and container (the labels Promtail attaches). */
export function logsDashboard(): Dashboard {
  return dashboard({
    uid: 'plgkit-logs',
    title: 'Logs',
    description: 'Pod logs shipped by Promtail to Loki.',
    variables: [
      variable('namespace', LOKI, 'label_values(namespace)'),
      variable('pod', LOKI, 'label_values({namespace=~"$namespace"}, pod)'),
      variable(
        'container',
        LOKI,
        'label_values({namespace=~"$namespace", pod=~"$pod"}, container)',
      ),
    ],
    panels: [
      {
        title: 'Log volume',
        datasource: LOKI,
        width: 24,
        height: 6,
        unit: 'short',
        queries: [
          {
            expr: `sum by (pod) (count_over_time(${SELECTOR} [$__auto]))`,
            legend: '{{pod}}',
          },
        ],
      },
      {
        type: 'logs',
        title: 'Log lines',
        datasource: LOKI,
        width: 24,
        height: 16,
        queries: [{ expr: SELECTOR }],
        logs: {
          showTime: true,
          wrapLogMessage: true,
          sortOrder: 'Descending',
          enableLogDetails: true,
        },
      },
    ],
  });
}
