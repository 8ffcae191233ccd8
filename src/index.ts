// The public API for plugin checks (config checks.modules): the Check shape, the inventory a check
// reads from, the finding helpers and the config type. Built-in checks use exactly the same.
export type { Check, RunContext } from './engine/check.js';
export type { Config } from './config/schema.js';
export type { Attachment, Finding, Severity, Status, CheckResult, Report } from './model.js';
export type {
  Inventory,
  TaskDefinition,
  ContainerDefinition,
  KeyValue,
  Service,
  SecurityGroup,
  Subnet,
  Vpc,
  RouteTable,
  MountTarget,
  AccessPoint,
  Bucket,
  IamUser,
  IamRole,
  SecretShape,
  Namespace,
  CloudMapService,
  CloudMapInstance,
  LogSearch,
  CallerIdentity,
} from './inventory/types.js';
export { InventoryError } from './inventory/types.js';
export { pass, fail, warn, error, skip } from './engine/finding.js';
