// Provisions a complete, correct AskEdgi Variant-2 deployment (runbook steps 1–9) into a moto
// emulator and writes the doctor's config plus a state file for the faults.
//
// moto 5.2.5 gaps met here and how they are handled:
// - The SDK needs credentials to sign even though moto ignores them: dummies are set when none exist.
// - New buckets have no default encryption or public access block: both are set explicitly.
// - Nothing is registered in Cloud Map automatically (ECS tasks never run): instances are registered here.
// - CreatePrivateDnsNamespace/CreateService give an operation id; GetOperation returns the
//   namespace id at once (no polling needed, but the code still reads it from the operation).
// - UpdateService does not touch the PRIMARY deployment's taskDefinition/networkConfiguration, so
//   faults that change a service re-create it instead (see faults.ts).
// - DeleteService leaves the service INACTIVE with its running count unchanged.
// - RevokeSecurityGroupIngress by IpPermissions only matches when the rule description matches too
//   (AWS ignores descriptions), so faults revoke by SecurityGroupRuleId (see faults.ts).
// - Task definitions: moto adds rootDirectory "/" to EFS volumes and reports compatibilities
//   EC2+FARGATE whatever was asked; GetBucketCors drops the empty ExposeHeaders.
// - POST /moto-api/reset takes 1–2 s and the first IAM call after it ~1 s (managed policies load),
//   so a fresh sandbox costs ~3 s; provisioning itself is well under that.
//
// The steps live in src/sandbox/provision/ (one module per runbook step, as faults/ is); this module
// keeps every name it always exported.
export {
  SANDBOX_CONFIG_FILE,
  SANDBOX_NAMES,
  SANDBOX_STATE_FILE,
  SANDBOX_TENANT_ID,
  type ProvisionOptions,
  type SandboxState,
} from './provision/names.js';
export { sandboxConfig, writeSandboxConfig } from './provision/config.js';
export { provisionSandbox } from './provision/index.js';
