// The doctor's config for the sandbox (askedgi-doctor.yaml).
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import { CONFIG_SCHEMA_FILE } from '../../config/json-schema.js';
import { configSchema, type ConfigInput } from '../../config/schema.js';
import { repoRoot } from '../../package-root.js';
import { SANDBOX_NAMES, SANDBOX_CONFIG_FILE, ENV, type SandboxState } from './names.js';

/** The doctor's config for the sandbox, as written to askedgi-doctor.yaml. */
export function sandboxConfig(state: SandboxState): ConfigInput {
  return {
    region: state.region,
    accountId: state.accountId,
    endpoint: state.endpoint,
    cluster: state.cluster.name,
    env: ENV,
    taskDefinitions: { ...SANDBOX_NAMES.families },
    services: { ...SANDBOX_NAMES.services },
    securityGroups: { elasticsearch: state.securityGroups.elasticsearch, rds: state.securityGroups.rds, efs: state.securityGroups.efs },
    efs: { fileSystemId: state.efs.fileSystemId },
    iam: {
      user: SANDBOX_NAMES.iam.user,
      userPolicy: SANDBOX_NAMES.iam.userPolicy,
      taskRole: SANDBOX_NAMES.iam.taskRole,
      taskRolePolicy: SANDBOX_NAMES.iam.taskRolePolicy,
    },
    // ENV=prod on Data too, not the runbook's step-6 literal "production" (see dataTaskDefinition).
    expect: { data: { env: { CREDENTIAL_TYPE: 'container', DEPLOYMENT_TYPE: 'ecs', ENV: 'prod' } } },
    // moto does not implement iam:SimulatePrincipalPolicy (it answers 500, which the SDK retries with
    // backoff, as it should for a real 500): the sandbox uses the doctor's own evaluation directly. The
    // simulator path is tested through the fault proxy (test/integration/effective-simulate.test.ts).
    permissions: { simulate: false },
    // The README's example plugin check, so the demo shows a plugin check next to the built-in ones.
    checks: { modules: [join(repoRoot(), 'examples', 'checks', 'tenant-id.ts')] },
  };
}

/** Writes the config (validated against the schema first) to <outDir>/askedgi-doctor.yaml. */
export async function writeSandboxConfig(outDir: string, config: ConfigInput): Promise<string> {
  configSchema.parse(config);
  const path = join(outDir, SANDBOX_CONFIG_FILE);
  await mkdir(outDir, { recursive: true });
  // Editors with the YAML language server validate and complete the file against the config's JSON Schema.
  const schema = relative(outDir, join(repoRoot(), CONFIG_SCHEMA_FILE)).split('\\').join('/');
  const header = `# yaml-language-server: $schema=${schema}\n` + '# Written by the askedgi-doctor sandbox: a correct Variant-2 deployment in a local moto emulator.\n';
  await writeFile(path, header + stringify(config), 'utf8');
  return path;
}
