/** The upstream Promtail release this package runs (released with Loki). The only place the version is written. */
export const PROMTAIL_VERSION = '3.6.8';
export const PROMTAIL_IMAGE = `docker.io/grafana/promtail:${PROMTAIL_VERSION}`;
