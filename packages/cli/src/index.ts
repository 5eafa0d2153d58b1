// The plgkit CLI's API: each command's entry point and the types it takes and gives. Everything else is internal.

// check
export type { CheckTarget } from './check/cluster.js';
export {
  CHECKS,
  type CheckId,
  type CheckResult,
  formatResults,
} from './check/model.js';
export { runChecks } from './check/run.js';
// doctor
export {
  checkKubectl,
  checkNodeRuntime,
  doctor,
  type NodeRuntime,
  overlayPipeline,
  type Pipeline,
  readNodeRuntimes,
  type ToolCheck,
} from './doctor.js';
export type { KubectlTarget } from './kubectl.js';
export { COMMAND_NAMES, EXIT, type Io, main } from './main.js';
// new-overlay
export {
  type OverlayOptions,
  overlayOptionsSchema,
  type ResolvedOverlayOptions,
  resolveOverlayOptions,
} from './options.js';
export { newOverlay } from './overlay.js';
// dashboards: the runner, and what it reads a cluster's provisioning and datasources with
export {
  type ClusterTarget,
  grafanaProvisioning,
  queryClusterDashboards,
} from './query/cluster.js';
export type { QueryResult } from './query/model.js';
export { type RunOptions, runDashboards } from './query/runner.js';
export { directFetch, type FetchJson } from './query/transport.js';
// render
export { RenderError, render, renderWithOrigins } from './render.js';
export { type Problem, validateStrict } from './strict.js';
export { writeOverlay } from './write.js';
