import type { Namespace } from '../inventory/types.js';
import { fail, pass } from '../engine/finding.js';
import { plainValue, tdName, PLAIN_VALUE_CODES } from '../resolve/env.js';
import { INSIGHT_TASK_DEFINITION, roleMain } from '../resolve/deployment.js';
import { need } from '../resolve/core.js';
import type { Check } from '../engine/check.js';
import { insightEndpoint } from './support/ovaledge.js';

const label = (ns: Namespace) => `${ns.id} (${ns.name}, ${ns.type})`;

const check: Check = {
  id: 'insight-namespace',
  title: 'Insight DNS_NAME_SPACE_ID is the id of the Cloud Map namespace named by EDGI_WORKSPACE_NAME_SPACE',
  step: 7,
  severity: 'critical',
  remediation:
    'Set DNS_NAME_SPACE_ID ("<ECS namespace ID>") and EDGI_WORKSPACE_NAME_SPACE ("<ECS namespace name>") on the Edgi Insight task definition to the id and the name of the same Cloud Map namespace (the one the Insight service discovery uses, runbook step 8); register a new revision and redeploy the service.',
  codes: ['namespace-not-found', 'discovery-mismatch', 'id-name-mismatch', ...PLAIN_VALUE_CODES],
  permissions: ['ecs:DescribeTaskDefinition', 'servicediscovery:ListNamespaces', 'ecs:DescribeServices', 'servicediscovery:GetService'],
  async run(inv, cfg) {
    const td = await need(inv, cfg, INSIGHT_TASK_DEFINITION);
    const where = `Task definition ${tdName(td)}`;
    const container = roleMain(td, cfg, 'insight');
    const values: Record<'DNS_NAME_SPACE_ID' | 'EDGI_WORKSPACE_NAME_SPACE', string> = { DNS_NAME_SPACE_ID: '', EDGI_WORKSPACE_NAME_SPACE: '' };
    for (const name of ['DNS_NAME_SPACE_ID', 'EDGI_WORKSPACE_NAME_SPACE'] as const) {
      const read = plainValue(td, container, name, { why: 'the Insight service cannot register Data services in Cloud Map' });
      if (!read.ok) return [read.finding];
      values[name] = read.value;
    }
    const { DNS_NAME_SPACE_ID: id, EDGI_WORKSPACE_NAME_SPACE: name } = values;
    const namespaces = await inv.namespaces();
    const byId = namespaces.find((n) => n.id === id);
    const named = namespaces.filter((n) => n.name === name);
    const found = `DNS_NAME_SPACE_ID=${id} is ${byId ? `namespace ${byId.name}` : 'no namespace'}; EDGI_WORKSPACE_NAME_SPACE=${name}`;
    if (named.length === 0) {
      return [
        fail(`${where} sets EDGI_WORKSPACE_NAME_SPACE=${name}, but no Cloud Map namespace has that name${byId ? `; DNS_NAME_SPACE_ID=${id} is namespace ${label(byId)}` : ''}.`, {
          code: 'namespace-not-found',
          resource: td.arn,
          expected: `a Cloud Map namespace named ${name} with id ${id}`,
          found: namespaces.length ? `namespaces ${namespaces.map(label).join(', ')}` : 'no namespaces',
        }),
      ];
    }
    const match = named.find((n) => n.id === id);
    if (match) {
      // Two VPCs may each hold a private namespace of the same name: the id Insight registers Data
      // services under must be the namespace its own service discovery uses (runbook step 8).
      const own = await insightEndpoint(inv, cfg);
      if (own.ok && own.namespace.id !== id) {
        return [
          fail(`${where} sets DNS_NAME_SPACE_ID=${id} (namespace ${label(match)}), but the Insight service's own service discovery uses namespace ${label(own.namespace)}; Data services would register where the Insight service does not look.`, {
            code: 'discovery-mismatch',
            resource: td.arn,
            expected: own.namespace.id,
            found: id,
          }),
        ];
      }
      const ownText = own.ok ? ', the one the Insight service discovery uses' : '';
      return [pass(`${where} sets DNS_NAME_SPACE_ID=${id}, the Cloud Map namespace ${match.name} (${match.type}) that EDGI_WORKSPACE_NAME_SPACE names${ownText}.`, { resource: match.arn || td.arn })];
    }
    return [
      fail(`${where} sets DNS_NAME_SPACE_ID=${id}, which is ${byId ? `namespace ${label(byId)}` : 'no existing Cloud Map namespace'}, but EDGI_WORKSPACE_NAME_SPACE=${name} is namespace ${named.map(label).join(', ')}.`, {
        code: 'id-name-mismatch',
        resource: td.arn,
        expected: named.map((n) => n.id).join(' or '),
        found,
      }),
    ];
  },
};

export default check;
