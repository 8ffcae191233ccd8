import type { Finding } from '../model.js';
import { fail, pass } from '../engine/finding.js';
import { PLAIN_VALUE_CODES, plainValue, tdName } from '../resolve/env.js';
import { DATA_TASK_DEFINITION, INSIGHT_TASK_DEFINITION, ROLE_CONTAINER_CODES, roleMain } from '../resolve/deployment.js';
import { INSIGHT_NETWORK_VARS } from '../resolve/network-vars.js';
import { need } from '../resolve/core.js';
import type { Check } from '../engine/check.js';

// The Insight service starts each Data service on Fargate from the revision in TASK_DEFINITION,
// with the awsvpc network configuration SUBNETS and SECURITY_GROUPS (runbook step 7). A revision
// registered for EC2 only, or with another network mode, is rejected by ECS at that moment.
const check: Check = {
  id: 'data-revision-launchable',
  title: 'The Data revision Insight pins (TASK_DEFINITION) is launchable as Insight launches it: ACTIVE, FARGATE, awsvpc with SUBNETS and SECURITY_GROUPS',
  step: 7,
  severity: 'critical',
  remediation:
    'Register the Edgi Data task definition for Fargate (requires compatibilities FARGATE, network mode awsvpc, runbook step 6), pin its new revision ARN in TASK_DEFINITION on the Edgi Insight task definition, register a new Insight revision and redeploy the Insight service.',
  permissions: ['ecs:DescribeTaskDefinition', 'ecs:DescribeServices', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'],
  codes: [...ROLE_CONTAINER_CODES, ...PLAIN_VALUE_CODES, 'revision-missing', 'revision-inactive', 'not-fargate', 'not-awsvpc'],
  async run(inv, cfg) {
    const insight = await need(inv, cfg, INSIGHT_TASK_DEFINITION);
    // The Data family must have an ACTIVE revision (data-task-definition reports it when not).
    await need(inv, cfg, DATA_TASK_DEFINITION);
    const net = await need(inv, cfg, INSIGHT_NETWORK_VARS);
    const read = plainValue(insight, roleMain(insight, cfg, 'insight'), 'TASK_DEFINITION', { why: 'the Insight service cannot start Data tasks', absent: 'error' });
    if (!read.ok) return [read.finding];
    const ref = read.value;
    const via = `TASK_DEFINITION=${ref} on ${tdName(insight)}`;
    const td = await inv.taskDefinition(ref);
    if (!td) {
      return [fail(`The Data task definition ${ref} (${via}) does not exist; the Insight service cannot launch Data tasks from it.`, { resource: ref, expected: 'an ACTIVE Data revision', found: 'none', code: 'revision-missing' })];
    }
    const where = `Data task definition ${tdName(td)} (${via})`;
    if (td.status !== 'ACTIVE') {
      return [fail(`${where} is ${td.status}; ECS launches no new Data service from it.`, { resource: td.arn, expected: 'status ACTIVE', found: td.status, code: 'revision-inactive' })];
    }
    const findings: Finding[] = [];
    if (!td.requiresCompatibilities.includes('FARGATE')) {
      const found = td.requiresCompatibilities.length > 0 ? td.requiresCompatibilities.join(', ') : 'no requiresCompatibilities';
      findings.push(fail(`${where} is not registered for Fargate (${found}); ECS rejects the Fargate Data tasks the Insight service launches.`, { resource: td.arn, expected: 'requiresCompatibilities FARGATE', found, code: 'not-fargate' }));
    }
    if (td.networkMode !== 'awsvpc') {
      const found = td.networkMode ?? 'not set (bridge)';
      findings.push(
        fail(`${where} uses network mode ${found}, not awsvpc; the Insight service launches Data tasks with subnets ${net.subnets.join(', ')} and security groups ${net.securityGroups.join(', ')}, which only awsvpc accepts.`, {
          resource: td.arn,
          expected: 'networkMode awsvpc',
          found: `networkMode ${found}`,
          code: 'not-awsvpc',
        }),
      );
    }
    if (findings.length > 0) return findings;
    return [pass(`${where} is launchable as the Insight service launches it: ACTIVE, FARGATE, awsvpc in subnets ${net.subnets.join(', ')} with security groups ${net.securityGroups.join(', ')} (VPC ${net.vpcId}).`, { resource: td.arn })];
  },
};

export default check;
