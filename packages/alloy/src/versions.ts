/** Grafana Alloy, Promtail's successor (Promtail is end of life since 2026-03-02). */
export const ALLOY_VERSION = 'v1.19.0';
/** The `github.com/grafana/alloy/syntax` module Alloy v1.19.0 requires (its repository replaces it with ./syntax). */
export const ALLOY_SYNTAX_VERSION = 'v0.1.2';
export const ALLOY_IMAGE = `docker.io/grafana/alloy:${ALLOY_VERSION}`;
