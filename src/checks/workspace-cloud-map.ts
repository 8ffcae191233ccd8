import { DATA_REGISTRY, workspaceRows, DATA_REGISTRY_CODES } from '../resolve/workspace.js';
import { need } from '../resolve/core.js';
import type { Finding } from '../model.js';
import { defaultRunContext, type Check } from '../engine/check.js';
import { fail, pass, warn } from '../engine/finding.js';
import { databaseReady, workspaceUser, WORKSPACE_PROBE_CODES } from './support/workspace.js';

const check: Check = {
  id: 'workspace-cloud-map',
  title: 'The user\'s data-service instance is registered in Cloud Map and agrees with the workspace row',
  step: 10,
  severity: 'critical',
  remediation:
    'A workspace row without its Cloud Map instance is stale: the runbook deletes the user\'s rows and the user\'s entry in Cloud Map, then the user logs in again. Do it under guard: askedgi-doctor remediate plan reset-workspace --user <user>, review, apply with --confirm.',
  codes: ['not-registered', 'orphan-instance', ...WORKSPACE_PROBE_CODES, ...DATA_REGISTRY_CODES],
  permissions: ['ecs:DescribeTaskDefinition', 'servicediscovery:ListNamespaces', 'servicediscovery:ListServices', 'servicediscovery:ListInstances'],
  async run(inv, cfg, ctx = defaultRunContext()) {
    const db = databaseReady(inv);
    if (!db.ok) return db.findings;
    const user = workspaceUser(cfg, ctx);
    if (!user.ok) return user.findings;
    const { rows } = await need(inv, cfg, workspaceRows(user.value));
    const { service, label } = await need(inv, cfg, DATA_REGISTRY);
    const instances = await inv.cloudMapInstances(service.id);
    const findings: Finding[] = [];
    const matched = new Set<string>();
    for (const r of rows) {
      // Join on the data service's name (instance id or ECS_SERVICE_NAME), never on a task id.
      // ECS registers one instance per running task (ECS_SERVICE_NAME on each): all of them are this row's.
      const mine = instances.filter((i) => r.serviceName !== undefined && (i.id === r.serviceName || i.attributes.ECS_SERVICE_NAME === r.serviceName));
      for (const i of mine) matched.add(i.id);
      const inst = mine[0];
      if (inst) {
        findings.push(pass(`Workspace row ${r.pk} of user ${r.user} is registered in Cloud Map as ${label} ${mine.length > 1 ? `instances ${mine.map((i) => `${i.id} (${i.attributes.AWS_INSTANCE_IPV4 ?? 'no IPv4'})`).join(', ')}` : `instance ${inst.id} (${inst.attributes.AWS_INSTANCE_IPV4 ?? 'no IPv4'})`}.`, { resource: `${service.arn}/${inst.id}` }));
      } else {
        findings.push(
          fail(`Workspace row ${r.pk} of user ${r.user} (${r.serviceName ?? 'no service name'}) has no instance in Cloud Map service ${label}: the row is stale.`, {
            code: 'not-registered',
            resource: service.arn,
            expected: `an instance for ${r.serviceName ?? user.value}`,
            found: instances.length > 0 ? `instances ${instances.map((i) => i.id).join(', ')}` : 'no instances',
          }),
        );
      }
    }
    const userTag = `-${user.value.split('@')[0]}`;
    for (const i of instances) {
      if (!matched.has(i.id) && (i.id.endsWith(userTag) || (i.attributes.ECS_SERVICE_NAME ?? '').endsWith(userTag))) {
        findings.push(warn(`Cloud Map instance ${i.id} in ${label} looks like user ${user.value}'s but matches no workspace row.`, { code: 'orphan-instance', resource: `${service.arn}/${i.id}`, expected: 'a workspace row for it', found: 'none' }));
      }
    }
    return findings;
  },
};

export default check;
