/** The upstream Grafana release this package runs. The only place the version is written. */
export const GRAFANA_VERSION = '13.2.3';
export const GRAFANA_IMAGE = `docker.io/grafana/grafana:${GRAFANA_VERSION}`;
