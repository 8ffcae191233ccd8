import type { Finding } from '../model.js';
import { error, fail, pass } from '../engine/finding.js';
import type { Check } from '../engine/check.js';
import { needDataAndInsight } from '../resolve/deployment.js';
import { tdName } from '../resolve/env.js';

/** The role name at the end of a role ARN (after any path). */
const roleNameOf = (arn: string): string => arn.split('/').pop() ?? arn;

const check: Check = {
  id: 'task-role-shared',
  title: 'The Data, Insight, UI and Job task definitions share the AskEdgi ECS task role',
  step: 5,
  severity: 'high',
  remediation:
    'Set the task role of the Edgi Data, Edgi Insight, OvalEdge UI and OvalEdge Job task definitions to the one AskEdgi ECS task role (runbook step 5: the role is shared across all ECS task definitions), register new revisions and redeploy the services.',
  codes: ['family-not-found', 'no-task-role', 'wrong-task-role', 'different-roles'],
  permissions: ['ecs:DescribeTaskDefinition'],
  async run(inv, cfg) {
    await needDataAndInsight(inv, cfg);
    const roleName = cfg.iam.taskRole;
    const places = [
      { family: cfg.taskDefinitions.data, role: 'Data' },
      { family: cfg.taskDefinitions.insight, role: 'Insight' },
      { family: cfg.taskDefinitions.ui, role: 'UI' },
      { family: cfg.taskDefinitions.job, role: 'Job' },
    ];
    const findings: Finding[] = [];
    const onRole: { name: string; arn: string }[] = [];
    for (const { family, role } of places) {
      const td = await inv.taskDefinition(family);
      if (!td) {
        findings.push(error(`${role} task definition family ${family} not found; cannot read its task role.`, { code: 'family-not-found', resource: family, expected: 'an ACTIVE revision', found: 'none' }));
        continue;
      }
      const where = `Task definition ${tdName(td)}`;
      const expected = `task role ${roleName}`;
      if (!td.taskRoleArn) {
        findings.push(fail(`${where} has no task role (taskRoleArn).`, { code: 'no-task-role', resource: td.arn, expected, found: 'no taskRoleArn' }));
      } else if (roleNameOf(td.taskRoleArn) !== roleName) {
        findings.push(fail(`${where} uses task role ${td.taskRoleArn}, not ${roleName}.`, { code: 'wrong-task-role', resource: td.arn, expected, found: td.taskRoleArn }));
      } else {
        onRole.push({ name: tdName(td), arn: td.taskRoleArn });
        findings.push(pass(`${where} uses task role ${td.taskRoleArn}.`, { resource: td.arn }));
      }
    }
    // Same name is not yet the same role: another account or path gives another ARN.
    const arns = [...new Set(onRole.map((r) => r.arn))];
    if (arns.length > 1) {
      const found = arns.map((arn) => `${arn} (${onRole.filter((r) => r.arn === arn).map((r) => r.name).join(', ')})`).join('; ');
      findings.push(fail(`Task definitions use ${arns.length} different roles named ${roleName}, not one shared role.`, { code: 'different-roles', resource: roleName, expected: `one role ARN for ${roleName}`, found }));
    }
    return findings;
  },
};

export default check;
