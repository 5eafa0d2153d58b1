/** The upstream Prometheus release this package runs. The only place the version is written. */
export const PROMETHEUS_VERSION = 'v3.5.0';
export const PROMETHEUS_IMAGE = `quay.io/prometheus/prometheus:${PROMETHEUS_VERSION}`;
