import { type Dashboard, dashboard } from './model.js';

/** Is Prometheus healthy? Targets, scrapes, series, WAL and rules. */
export function prometheusDashboard(): Dashboard {
  return dashboard({
    uid: 'plgkit-prometheus',
    title: 'Prometheus',
    description:
      'Targets up, scrape duration and size, head series, samples, WAL and rule evaluation.',
    variables: [],
    panels: [
      {
        title: 'Targets up and down',
        description:
          "Targets per job, up and down. A job down: plgkit check's targets check says why (403 is RBAC, x509 the kubelet's certificate).",
        unit: 'short',
        queries: [
          { expr: 'sum by (job) (up)', legend: '{{job}} up' },
          // `== bool`: 0 for a job with every target up, so the panel shows a line at 0 rather than "No data".
          { expr: 'sum by (job) (up == bool 0)', legend: '{{job}} down' },
        ],
      },
      {
        title: 'Scrape duration',
        description:
          'The slowest scrape of each job. Near the scrape timeout (10 s): the target is overloaded or far; its series go stale.',
        unit: 's',
        queries: [
          { expr: 'max by (job) (scrape_duration_seconds)', legend: '{{job}}' },
        ],
      },
      {
        title: 'Samples stored per scrape',
        description:
          'Samples each job stores per scrape, after relabelling. A job that jumps: a new label value per scrape (high cardinality); it costs memory.',
        unit: 'short',
        queries: [
          {
            expr: 'sum by (job) (scrape_samples_post_metric_relabeling)',
            legend: '{{job}}',
          },
        ],
      },
      {
        title: 'Head series',
        description:
          "Series in Prometheus's head block, what its memory follows. Growing steadily: find the job in Samples stored per scrape.",
        unit: 'short',
        queries: [{ expr: 'prometheus_tsdb_head_series', legend: 'series' }],
      },
      {
        title: 'Samples appended',
        description:
          'Samples a second written to the head. Falling to 0: scrapes stopped; see Targets up and down.',
        unit: 'short',
        queries: [
          {
            expr: 'rate(prometheus_tsdb_head_samples_appended_total[5m])',
            legend: 'samples/s',
          },
        ],
      },
      {
        title: 'WAL',
        description:
          'Write-ahead log fsync time and corruptions. Slow fsyncs mean a slow disk; any corruption: Prometheus replays what it can after a crash, check its log.',
        unit: 's',
        queries: [
          {
            expr: 'rate(prometheus_tsdb_wal_fsync_duration_seconds_sum[5m]) / rate(prometheus_tsdb_wal_fsync_duration_seconds_count[5m])',
            legend: 'fsync duration',
          },
          {
            expr: 'increase(prometheus_tsdb_wal_corruptions_total[1h])',
            legend: 'corruptions, last hour',
          },
        ],
      },
      {
        title: 'Storage used by blocks',
        description:
          "Bytes of the persisted blocks on Prometheus's volume. Near the volume's size: shorten retention, or give the claim more room.",
        unit: 'bytes',
        queries: [
          { expr: 'prometheus_tsdb_storage_blocks_bytes', legend: 'blocks' },
        ],
      },
      {
        title: 'Rule evaluation',
        description:
          'Alerting and recording rule evaluations a second, and failures. Any failure: the rules check of plgkit check names the rule and its error.',
        unit: 'short',
        queries: [
          {
            expr: 'sum(rate(prometheus_rule_evaluations_total[5m]))',
            legend: 'evaluations/s',
          },
          {
            expr: 'sum(rate(prometheus_rule_evaluation_failures_total[5m]))',
            legend: 'failures/s',
          },
        ],
      },
    ],
  });
}
