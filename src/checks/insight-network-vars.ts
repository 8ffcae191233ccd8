import type { ContainerDefinition, Service, TaskDefinition } from '../inventory/types.js';
import { looksLikePlaceholder } from '../inventory/redact.js';
import type { Finding } from '../model.js';
import { error, fail, pass } from '../engine/finding.js';
import { envEntry, tdName } from '../resolve/env.js';
import { INSIGHT_SERVICE, INSIGHT_TASK_DEFINITION, roleMain } from '../resolve/deployment.js';
import { need } from '../resolve/core.js';
import type { Check } from '../engine/check.js';

const list = (value: string) => value.split(',').map((s) => s.trim()).filter((s) => s !== '');

/** One variable (SUBNETS or SECURITY_GROUPS) against what the Insight service itself uses, compared as sets. */
function compare(td: TaskDefinition, container: ContainerDefinition | undefined, service: Service, variable: string, what: string, actual: string[]): Finding {
  const where = `Task definition ${tdName(td)}`;
  const expected = actual.join(',');
  const entry = envEntry(container, variable);
  if (!entry) {
    return fail(`${where} has no ${variable}; the Insight service needs it to start Data tasks in its ${what}.`, { resource: td.arn, expected, found: 'not set' });
  }
  if (entry.source === 'secrets') {
    return error(`${where} takes ${variable} from a secrets reference (${entry.valueFrom}); its value cannot be compared with the service's ${what}.`, { resource: td.arn, expected: 'a plain environment value', found: `secrets valueFrom ${entry.valueFrom}` });
  }
  const listed = list(entry.value);
  const missing = actual.filter((id) => !listed.includes(id));
  const extra = listed.filter((id) => !actual.includes(id));
  if (missing.length === 0 && extra.length === 0) {
    return pass(`${where} sets ${variable}=${listed.join(',')}, the ${what} of ECS service ${service.name}.`, { resource: td.arn });
  }
  const placeholder = looksLikePlaceholder(entry.value) ? ' (still the runbook placeholder)' : '';
  const parts = [missing.length ? `misses ${missing.join(', ')}` : '', extra.length ? `lists ${extra.join(', ')} that the service does not use` : ''].filter(Boolean);
  return fail(`${where} sets ${variable}=${entry.value}${placeholder}, which ${parts.join(' and ')}; ECS service ${service.name} uses ${actual.join(', ')}.`, {
    resource: td.arn,
    expected,
    found: entry.value,
  });
}

const check: Check = {
  id: 'insight-network-vars',
  title: "Insight SUBNETS and SECURITY_GROUPS equal the Insight service's subnets and security groups",
  step: 7,
  severity: 'high',
  remediation:
    'Set SUBNETS (comma-separated, the two private subnets of runbook step 1) and SECURITY_GROUPS (the Edgi Insight security group) on the Edgi Insight task definition to exactly what the Insight service runs with, register a new revision and redeploy the service.',
  permissions: ['ecs:DescribeServices', 'ecs:DescribeTaskDefinition'],
  async run(inv, cfg) {
    const net = await need(inv, cfg, INSIGHT_SERVICE);
    const td = await need(inv, cfg, INSIGHT_TASK_DEFINITION);
    const { service } = net;
    const container = roleMain(td, cfg, 'insight');
    return [
      compare(td, container, service, 'SUBNETS', 'subnets', service.subnets),
      compare(td, container, service, 'SECURITY_GROUPS', 'security groups', service.securityGroups),
    ];
  },
};

export default check;
