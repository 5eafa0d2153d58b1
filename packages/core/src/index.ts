export type { JSONSchemaType } from 'ajv';
export type {
  Base,
  Component,
  ConfigMapGenerator,
  Overlay,
  PackageOutput,
} from './base.js';
export {
  diffEmitted,
  EMITTED_DIRS,
  emitPackage,
  type FileTree,
  OVERLAY_CHANGES_DIR,
  readEmitted,
  renderOverlay,
  renderPackage,
  writeEmitted,
} from './emit.js';
export {
  byteSize,
  dns1123Label,
  duration,
  durationSeconds,
  FORMATS,
  type FormatName,
  httpUrl,
  type OptionFormat,
  parseQuantity,
  quantity,
  toBytes,
} from './formats.js';
export {
  type KubeObject,
  type KubePatch,
  SERVICE_ACCOUNT_DIR,
} from './kube.js';
export {
  COMPONENT_API,
  KUSTOMIZATION_API,
  type Kustomization,
} from './kustomization.js';
export { type AppIdentity, labels, PART_OF, selectorLabels } from './labels.js';
export {
  DOCKER_CONTAINERS_DIR,
  type LogCollectorWorkload,
  NODE_NAME_ENV,
  POD_LOGS_DIR,
  RUNTIME_LABEL,
  RUNTIMES,
  type Runtime,
} from './log-collector.js';
export type {
  LogCollectorOptions,
  ResolvedLogCollectorOptions,
} from './log-collector-options.js';
export {
  defineLogCollector,
  type LogCollector,
  type LogCollectorDefinition,
} from './log-collector-package.js';
export {
  goDuration,
  LOG_DELIVERY,
  type LogDelivery,
  NODE_STOP_GRACE_SECONDS,
  retryWindowSeconds,
} from './log-delivery.js';
export {
  type CollectorRule,
  type CollectorStage,
  collectorRules,
  collectorStages,
} from './log-pipeline.js';
export {
  dnsEgress,
  fromApps,
  networkPolicy,
  tcpPorts,
  toApps,
} from './network.js';
export {
  clusterRole,
  clusterRoleBinding,
  dataStatefulSet,
  httpProbe,
  type Owner,
  owner,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
  service,
  serviceAccount,
} from './objects.js';
export {
  DEFAULT_NAMESPACE,
  namespaceOption,
  type OptionIssue,
  OptionsError,
  resolveOptions,
} from './options.js';
export {
  containerResources,
  type OptionalSchema,
  type ResolvedResources,
  type ResourceAmounts,
  type ResourceOptions,
  resourceIssues,
  resourcesSchema,
} from './resources.js';
export {
  appIdentity,
  type ComponentKey,
  type ComponentModel,
  type Connection,
  connectionAddress,
  connections,
  connectionUrl,
  type Link,
  LOG_COLLECTORS,
  type LogCollectorKey,
  type Role,
  STACK,
  type StackModel,
  stackNetworkPolicy,
  withRole,
} from './stack.js';
export { sortKeys, toJson, toYaml } from './yaml.js';
