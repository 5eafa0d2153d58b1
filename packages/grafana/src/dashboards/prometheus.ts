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
        unit: 'short',
        queries: [
          { expr: 'sum by (job) (up)', legend: '{{job}} up' },
          // `== bool`: 0 for a job with every target up, so the panel shows a line at 0 rather than "No data".
          { expr: 'sum by (job) (up == bool 0)', legend: '{{job}} down' },
        ],
      },
      {
        title: 'Scrape duration',
        unit: 's',
        queries: [
          { expr: 'max by (job) (scrape_duration_seconds)', legend: '{{job}}' },
        ],
      },
      {
        title: 'Samples stored per scrape',
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
        unit: 'short',
        queries: [{ expr: 'prometheus_tsdb_head_series', legend: 'series' }],
      },
      {
        title: 'Samples appended',
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
        unit: 'bytes',
        queries: [
          { expr: 'prometheus_tsdb_storage_blocks_bytes', legend: 'blocks' },
        ],
      },
      {
        title: 'Rule evaluation',
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
