import type { Check } from '../engine/check.js';
import { fail } from '../engine/finding.js';
import { ecrRepositories, partitionOf, valueFromTarget, type DeploymentFacts } from '../effective/requirements.js';
import type { TaskDefinition } from '../inventory/types.js';
import type { Finding } from '../model.js';
import { effectivePermissions, needsOf, ROLE_READS, EFFECTIVE_PERMISSION_CODES } from './support/effective-permissions.js';
import { tdName } from '../resolve/env.js';
import { needDataAndInsight } from '../resolve/deployment.js';

const awslogsGroups = (td: TaskDefinition) => td.containers.flatMap((c) => (c.logConfiguration?.logDriver === 'awslogs' && c.logConfiguration.options['awslogs-group'] ? [c.logConfiguration.options['awslogs-group']] : []));

const check: Check = {
  id: 'execution-role-effective-permissions',
  title: 'The execution role of every Edgi and OvalEdge task definition may pull its images, write its logs and read its secrets',
  step: 5,
  severity: 'critical',
  remediation:
    'Give each task definition an execution role (runbook step 5: ECS task execution permissions) that may pull its ECR images, create log streams and put events in its awslogs group, and read every secrets[].valueFrom (secretsmanager:GetSecretValue or ssm:GetParameters); AmazonECSTaskExecutionRolePolicy covers images and logs, the secrets need their own statement.',
  codes: ['no-execution-role', ...EFFECTIVE_PERMISSION_CODES],
  permissions: [...ROLE_READS, 'ecs:DescribeTaskDefinition'],
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
        valueFroms: [...new Set(roleTds.flatMap((t) => t.containers.flatMap((c) => c.secrets.map((s) => valueFromTarget(s.valueFrom, base).arn))))],
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
