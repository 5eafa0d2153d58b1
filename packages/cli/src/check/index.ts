export { type CheckTarget, connect } from './cluster.js';
export { MAX_SKEW_SECONDS, clockResult, logsResult, skewOf } from './logs.js';
export { CHECKS, type CheckId, type CheckResult, formatResults, type Problem } from './model.js';
export { accessReview, type Need, permissionsResult, ruleLine, stackNeeds } from './permissions.js';
export { checkPods, type PodContext } from './pods.js';
export { rulesResult, targetFix, targetsResult } from './prometheus.js';
export { runChecks } from './run.js';
