import {
  type JSONSchemaType,
  type LogCollectorOptions,
  logCollectorDefaults,
  logCollectorOptionsSchema,
  type ResolvedLogCollectorOptions,
  type ResourceOptions,
  RUNTIMES,
  type Runtime,
  resolveLogCollectorOptions,
} from '@plgkit/core';

export { RUNTIMES, type Runtime };

/** Options of the Promtail base: those of every log collector (@plgkit/core), with Promtail's own resources. */
export interface PromtailOptions extends LogCollectorOptions {
  /** CPU and memory of the Promtail container, per node. @default {"requests":{"cpu":"50m","memory":"64Mi"},"limits":{"cpu":"500m","memory":"128Mi"}} */
  readonly resources?: ResourceOptions;
}

export type ResolvedPromtailOptions = ResolvedLogCollectorOptions;

export const DEFAULTS = logCollectorDefaults({
  requests: { cpu: '50m', memory: '64Mi' },
  limits: { cpu: '500m', memory: '128Mi' },
});

export const promtailOptionsSchema: JSONSchemaType<PromtailOptions> =
  logCollectorOptionsSchema('promtail', 'PromtailOptions', DEFAULTS);

/** Validates options, applies defaults (the Loki URL follows the namespace); throws `OptionsError`. */
export function resolvePromtailOptions(
  options?: PromtailOptions,
): ResolvedPromtailOptions {
  return resolveLogCollectorOptions('promtail', promtailOptionsSchema, options);
}
