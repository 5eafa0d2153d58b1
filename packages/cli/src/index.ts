export * from './check/index.js';
export {
  alloyPipeline,
  checkKubectl,
  checkNode,
  checkNodeRuntime,
  collectorPipeline,
  doctor,
  type KubectlVersion,
  type NodeRuntime,
  overlayPipeline,
  type Pipeline,
  promtailPipeline,
  readNodeRuntimes,
  runtimeFamily,
  type ToolCheck,
} from './doctor.js';
export { COMMAND_NAMES, EXIT, type Io, main } from './main.js';
export { stackNamespace } from './namespace.js';
export {
  type OverlayOptions,
  overlayOptionsSchema,
  type ResolvedOverlayOptions,
  resolveOverlayOptions,
} from './options.js';
export {
  commandLine,
  newOverlay,
  packageDir,
  stackOptions,
} from './overlay.js';
export { type Json, strategicDiff } from './patch.js';
export {
  PROFILES,
  type Profile,
  profileResources,
  scaleQuantity,
} from './profiles.js';
export * from './query/index.js';
export {
  describeObject,
  parseObjects,
  RenderError,
  render,
  renderWithOrigins,
} from './render.js';
export {
  COLLECTORS,
  type Collector,
  type ComponentName,
  STACK,
  type StackComponent,
  type StackOptions,
  stackWith,
} from './stack.js';
export {
  type Problem,
  schemaProblems,
  unknownFieldProblems,
  validateStrict,
} from './strict.js';
export { isNonEmptyDir, writeOverlay } from './write.js';
