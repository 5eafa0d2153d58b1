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

/** Options of the Alloy base: those of every log collector (@plgkit/core), with Alloy's own resources. */
export interface AlloyOptions extends LogCollectorOptions {
  /** CPU and memory of the Alloy container, per node. @default {"requests":{"cpu":"50m","memory":"128Mi"},"limits":{"cpu":"500m","memory":"256Mi"}} */
  readonly resources?: ResourceOptions;
}

export type ResolvedAlloyOptions = ResolvedLogCollectorOptions;

export const DEFAULTS = logCollectorDefaults({
  requests: { cpu: '50m', memory: '128Mi' },
  limits: { cpu: '500m', memory: '256Mi' },
});

export const alloyOptionsSchema: JSONSchemaType<AlloyOptions> =
  logCollectorOptionsSchema('alloy', 'AlloyOptions', DEFAULTS);

/** Validates options, applies defaults (the Loki URL follows the namespace); throws `OptionsError`. */
export function resolveAlloyOptions(
  options?: AlloyOptions,
): ResolvedAlloyOptions {
  return resolveLogCollectorOptions('alloy', alloyOptionsSchema, options);
}
