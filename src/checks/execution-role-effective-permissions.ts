import type { Check } from '../engine/check.js';
import { fail } from '../engine/finding.js';
import { ecrRepositories, partitionOf, valueFromTarget, type DeploymentFacts } from '../effective/requirements.js';
import { InventoryError, type Inventory, type TaskDefinition } from '../inventory/types.js';
import type { Finding } from '../model.js';
import { effectivePermissions, needsOf, ROLE_READS, EFFECTIVE_PERMISSION_CODES } from './support/effective-permissions.js';
import { tdName } from '../resolve/env.js';
import { needDataAndInsight } from '../resolve/deployment.js';

/**
 * The ARN IAM authorizes a `secrets[].valueFrom` against. For a Secrets Manager secret that is the
 * secret's full ARN, with the 6-character suffix Secrets Manager appends, whatever form valueFrom
 * names it in: a partial ARN (arn:…:secret:<name>, as CDK's Secret.fromSecretNameV2 writes it) is
 * resolved by Secrets Manager, and a policy Resource `…:secret:<name>-??????` allows it while
 * `…:secret:<name>` alone does not. So the secret is looked up (DescribeSecret, the same read
 * task-secret-references makes) and its ARN used; when it cannot be, the reference as written.
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_iam-policies.html
 */
async function authorizedArn(inv: Inventory, valueFrom: string, base: { partition: string; region: string; account: string }): Promise<string> {
  const target = valueFromTarget(valueFrom, base);
  if (target.kind !== 'secret') return target.arn;
  try {
    return (await inv.secretMetadata(target.arn))?.arn || target.arn;
  } catch (err) {
    // Not readable (denied, throttled): task-secret-references reports that read; here the ARN as written.
    if (err instanceof InventoryError) return target.arn;
    throw err;
  }
}

const awslogsGroups = (td: TaskDefinition) => td.containers.flatMap((c) => (c.logConfiguration?.logDriver === 'awslogs' && c.logConfiguration.options['awslogs-group'] ? [c.logConfiguration.options['awslogs-group']] : []));

const check: Check = {
  id: 'execution-role-effective-permissions',
  title: 'The execution role of every Edgi and OvalEdge task definition may pull its images, write its logs and read its secrets',
  step: 5,
  severity: 'critical',
  remediation:
    'Give each task definition an execution role (runbook step 5: ECS task execution permissions) that may pull its ECR images, create log streams and put events in its awslogs group, and read every secrets[].valueFrom (secretsmanager:GetSecretValue or ssm:GetParameters); AmazonECSTaskExecutionRolePolicy covers images and logs, the secrets need their own statement.',
  codes: ['no-execution-role', ...EFFECTIVE_PERMISSION_CODES],
  permissions: [...ROLE_READS, 'ecs:DescribeTaskDefinition', 'secretsmanager:DescribeSecret'],
  async run(inv, cfg) {
    await needDataAndInsight(inv, cfg);
    // Resolving: the four task definitions (latest ACTIVE revisions) grouped by execution role.
    const identity = await inv.identity();
    const base = { partition: partitionOf(identity.arn), region: cfg.region!, account: identity.account };
    const families = [cfg.taskDefinitions.data, cfg.taskDefinitions.insight, cfg.taskDefinitions.ui, cfg.taskDefinitions.job];
    const tds = (await Promise.all(families.map((f) => inv.taskDefinition(f)))).filter((t) => t !== undefined);
    const findings: Finding[] = [];
    const byRole = new Map<string, TaskDefinition[]>();
    for (const td of tds) {
      const uses = [
        ...(ecrRepositories(td.containers.flatMap((c) => c.image ?? []), base.partition).length > 0 ? ['pulls images from ECR'] : []),
        ...(awslogsGroups(td).length > 0 ? ['sends logs with awslogs'] : []),
        ...(td.containers.some((c) => c.secrets.length > 0) ? ['reads secrets[].valueFrom'] : []),
      ];
      if (!td.executionRoleArn) {
        if (uses.length > 0) {
          findings.push(fail(`Task definition ${tdName(td)} has no execution role, but ECS needs one because it ${uses.join(', ')}.`, { code: 'no-execution-role', resource: td.arn, expected: 'an execution role', found: 'none' }));
        }
        continue;
      }
      byRole.set(td.executionRoleArn, [...(byRole.get(td.executionRoleArn) ?? []), td]);
    }
    // The roles are independent: decided all at once (findings keep the roles' order).
    const perRole = [...byRole].map(async ([roleArn, roleTds]) => {
      const facts: DeploymentFacts = {
        ...base,
        images: roleTds.flatMap((t) => t.containers.flatMap((c) => c.image ?? [])),
        logGroups: [...new Set(roleTds.flatMap(awslogsGroups))],
        valueFroms: [...new Set(await Promise.all(roleTds.flatMap((t) => t.containers.flatMap((c) => c.secrets.map((s) => authorizedArn(inv, s.valueFrom, base))))))],
      };
      const { needs, unresolved } = needsOf('executionRole', cfg, facts);
      const name = roleArn.split('/').pop() ?? roleArn;
      const label = `IAM role ${name} (execution role of ${roleTds.map(tdName).join(', ')})`;
      return [...unresolved, ...(await effectivePermissions(inv, cfg, { kind: 'role', id: roleArn, label }, needs, facts))];
    });
    for (const f of await Promise.all(perRole)) findings.push(...f);
    return findings;
  },
};

export default check;
