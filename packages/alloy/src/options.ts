import type {
  LogCollectorOptions,
  ResolvedLogCollectorOptions,
  ResourceOptions,
} from '@plgkit/core';

/** Options of the Alloy base: those of every log collector (@plgkit/core), with Alloy's own resources. */
export interface AlloyOptions extends LogCollectorOptions {
  /** CPU and memory of the Alloy container, per node. @default {"requests":{"cpu":"50m","memory":"128Mi"},"limits":{"cpu":"500m","memory":"256Mi"}} */
  readonly resources?: ResourceOptions;
}

export type ResolvedAlloyOptions = ResolvedLogCollectorOptions;
