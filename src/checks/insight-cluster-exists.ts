import { fail, pass } from '../engine/finding.js';
import { plainValue, tdName, PLAIN_VALUE_CODES } from '../resolve/env.js';
import { INSIGHT_TASK_DEFINITION, roleMain } from '../resolve/deployment.js';
import { need } from '../resolve/core.js';
import type { Check } from '../engine/check.js';

// The configured cluster may be given as a name or an ARN; ECS accepts both.
const clusterName = (value: string) => (value.startsWith('arn:') ? value.split('/').pop() ?? value : value);

const check: Check = {
  id: 'insight-cluster-exists',
  title: "Insight CLUSTER_NAME names the deployment's ACTIVE ECS cluster",
  step: 7,
  severity: 'critical',
  remediation:
    'Set CLUSTER_NAME on the Edgi Insight task definition to the ECS cluster name of this deployment (runbook step 7: "<ECS cluster name>"), the cluster the Insight service starts Data tasks in; register a new revision and redeploy the service.',
  codes: ['cluster-missing', 'wrong-cluster', ...PLAIN_VALUE_CODES],
  permissions: ['ecs:DescribeTaskDefinition', 'ecs:DescribeClusters'],
  async run(inv, cfg) {
    const td = await need(inv, cfg, INSIGHT_TASK_DEFINITION);
    const where = `Task definition ${tdName(td)}`;
    const read = plainValue(td, roleMain(td, cfg, 'insight'), 'CLUSTER_NAME', { why: 'the Insight service does not know where to start Data tasks', expected: cfg.cluster });
    if (!read.ok) return [read.finding];
    const value = read.value;
    const cluster = await inv.cluster(value);
    if (!cluster || cluster.status !== 'ACTIVE') {
      return [
        fail(`${where} sets CLUSTER_NAME=${value}, but ECS cluster ${value} ${cluster ? `is ${cluster.status}` : 'does not exist'}; Data tasks cannot start there.`, {
          code: 'cluster-missing',
          resource: td.arn,
          expected: `${cfg.cluster} (ACTIVE)`,
          found: cluster ? `${cluster.name} (${cluster.status})` : `${value} (not found)`,
        }),
      ];
    }
    if (cluster.name !== clusterName(cfg.cluster)) {
      return [
        fail(`${where} sets CLUSTER_NAME=${value}, an ACTIVE cluster but not ${cfg.cluster} where this deployment runs; the Insight service would start Data tasks in the wrong cluster.`, {
          code: 'wrong-cluster',
          resource: td.arn,
          expected: cfg.cluster,
          found: value,
        }),
      ];
    }
    return [pass(`${where} sets CLUSTER_NAME=${value}, the ACTIVE ECS cluster ${cluster.arn}.`, { resource: td.arn })];
  },
};

export default check;
