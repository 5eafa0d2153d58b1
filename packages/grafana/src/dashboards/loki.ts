import { type Dashboard, dashboard } from './model.js';

/** Is logging healthy? What Loki takes in and holds, and what the collector (Promtail or Alloy) sends or drops. */
export function lokiDashboard(): Dashboard {
  return dashboard({
    uid: 'plgkit-loki',
    title: 'Loki and log collection',
    description:
      'Ingestion rate, streams and chunks in Loki; requests by status; entries the collector (Promtail or Alloy) sent and dropped.',
    variables: [],
    panels: [
      {
        title: 'Ingestion rate',
        description:
          "Bytes a second Loki's distributor takes in. A sudden drop to 0: the collector stopped pushing; see Collector entries and plgkit check.",
        unit: 'Bps',
        queries: [
          {
            expr: 'sum(rate(loki_distributor_bytes_received_total[5m]))',
            legend: 'bytes/s',
          },
        ],
      },
      {
        title: 'Lines received',
        description:
          "Log lines a second Loki takes in. It follows what your pods write; 0 means nothing arrives: plgkit check's logs check names the node.",
        unit: 'short',
        queries: [
          {
            expr: 'sum(rate(loki_distributor_lines_received_total[5m]))',
            legend: 'lines/s',
          },
        ],
      },
      {
        title: 'Streams and chunks in memory',
        description:
          "Streams (label sets) and chunks Loki holds before it flushes them. Streams growing without end: a label with too many values (a request ID, say) in the collector's config.",
        unit: 'short',
        queries: [
          { expr: 'sum(loki_ingester_memory_streams)', legend: 'streams' },
          { expr: 'sum(loki_ingester_memory_chunks)', legend: 'chunks' },
        ],
      },
      {
        title: 'Requests by status',
        description:
          "Loki's requests a second, by HTTP status. A 4xx on pushes means refused lines (too old, too large, over a rate limit); a 5xx means Loki itself fails: see its log.",
        unit: 'reqps',
        queries: [
          {
            expr: 'sum by (status_code) (rate(loki_request_duration_seconds_count[5m]))',
            legend: '{{status_code}}',
          },
        ],
      },
      {
        title: 'Collector entries',
        unit: 'short',
        width: 24,
        description:
          "Lines each collector pod sent to Loki and gave up on (Promtail's metrics, or Alloy's loki.write). Dropped above 0 means lost lines: plgkit check's logs and clock checks say why.",
        queries: [
          {
            expr: 'sum by (pod) (rate(promtail_sent_entries_total[5m]) or rate(loki_write_sent_entries_total[5m]))',
            legend: '{{pod}} sent/s',
          },
          {
            expr: 'sum by (pod) (rate(promtail_dropped_entries_total[5m]) or rate(loki_write_dropped_entries_total[5m]))',
            legend: '{{pod}} dropped/s',
          },
        ],
      },
    ],
  });
}
