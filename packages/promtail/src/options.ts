import type {
  LogCollectorOptions,
  ResolvedLogCollectorOptions,
  ResourceOptions,
} from '@plgkit/core';

/** Options of the Promtail base: those of every log collector (@plgkit/core), with Promtail's own resources. */
export interface PromtailOptions extends LogCollectorOptions {
  /** CPU and memory of the Promtail container, per node. @default {"requests":{"cpu":"50m","memory":"64Mi"},"limits":{"cpu":"500m","memory":"128Mi"}} */
  readonly resources?: ResourceOptions;
}

export type ResolvedPromtailOptions = ResolvedLogCollectorOptions;
