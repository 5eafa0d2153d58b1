/** The upstream Prometheus release this package runs. The only place the version is written. */
export const PROMETHEUS_VERSION = 'v3.13.5';
export const PROMETHEUS_IMAGE = `quay.io/prometheus/prometheus:${PROMETHEUS_VERSION}`;
