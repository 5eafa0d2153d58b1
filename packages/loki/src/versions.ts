/** The upstream Loki release this package runs. The only place the version is written. */
export const LOKI_VERSION = '3.7.8';
export const LOKI_IMAGE = `docker.io/grafana/loki:${LOKI_VERSION}`;
