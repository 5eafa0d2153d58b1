/** The upstream node-exporter release this package runs. The only place the version is written. */
export const NODE_EXPORTER_VERSION = 'v1.12.1';
export const NODE_EXPORTER_IMAGE = `quay.io/prometheus/node-exporter:${NODE_EXPORTER_VERSION}`;
