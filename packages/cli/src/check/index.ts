export { type CheckTarget, connect } from './cluster.js';
export { clockResult, logsResult, MAX_SKEW_SECONDS, skewOf } from './logs.js';
export {
  CHECKS,
  type CheckId,
  type CheckResult,
  formatResults,
  type Problem,
} from './model.js';
export {
  accessReview,
  type Need,
  permissionsResult,
  ruleLine,
  stackNeeds,
} from './permissions.js';
export { checkPods, type PodContext } from './pods.js';
export { rulesResult, targetFix, targetsResult } from './prometheus.js';
export { runChecks } from './run.js';
