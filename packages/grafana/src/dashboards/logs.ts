import { type Dashboard, dashboard, LOKI, textbox, variable } from './model.js';

// Every panel reads the lines the variables pick: their pods' streams, containing the filter's text (all of them while
// it is empty).
const SELECTOR =
  '{namespace=~"$namespace", pod=~"$pod", container=~"$container"} |= `$filter`';

export const LOGS_UID = 'plgkit-logs';

/** Pod logs from Loki, filtered by namespace, pod and container (the labels the collector attaches). */
export function logsDashboard(): Dashboard {
  return dashboard({
    uid: LOGS_UID,
    title: 'Logs',
    description:
      'Pod logs the collector (Promtail or Alloy) shipped to Loki: volume, lines by level, and the lines.',
    variables: [
      variable('namespace', LOKI, 'label_values(namespace)'),
      variable('pod', LOKI, 'label_values({namespace=~"$namespace"}, pod)'),
      variable(
        'container',
        LOKI,
        'label_values({namespace=~"$namespace", pod=~"$pod"}, container)',
      ),
      textbox(
        'filter',
        'line contains',
        'Only lines containing this text, as typed (case matters): an error message, a request ID. Empty: every line.',
      ),
    ],
    panels: [
      {
        title: 'Log volume',
        description:
          "Lines a pod wrote in each interval, from Loki. A pod that goes silent here stopped writing, or its lines stopped arriving: plgkit check's logs check tells which.",
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
        title: 'Lines by level',
        datasource: LOKI,
        width: 24,
        height: 6,
        unit: 'short',
        description:
          "Lines by namespace and the level Loki found in them (detected_level: error, warn, info, debug; unknown where a line names none). A rise in error or warn is where to read: pick that namespace, or type the error's text in line contains.",
        queries: [
          {
            expr: `sum by (namespace, detected_level) (count_over_time(${SELECTOR} [$__auto]))`,
            legend: '{{namespace}} {{detected_level}}',
          },
        ],
      },
      {
        type: 'logs',
        title: 'Log lines',
        description:
          'The lines themselves, newest first. None while Log volume shows some: widen the time range; Loki refuses lines older than a week.',
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
