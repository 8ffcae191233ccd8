import { looksLikePlaceholder } from '../inventory/redact.js';
import { error, fail, pass } from '../engine/finding.js';
import { envEntry, mainContainer, requireTaskDefinition, tdName } from './support/task.js';
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
  needs: ['insight-task-definition'],
  permissions: ['ecs:DescribeTaskDefinition', 'ecs:DescribeClusters'],
  async run(inv, cfg) {
    const td = await requireTaskDefinition(inv, cfg.taskDefinitions.insight, 'Insight');
    if (!td.ok) return td.findings;
    const where = `Task definition ${tdName(td.value)}`;
    const entry = envEntry(mainContainer(td.value, cfg.expect.insight.container), 'CLUSTER_NAME');
    if (!entry) {
      return [fail(`${where} has no CLUSTER_NAME; the Insight service does not know where to start Data tasks.`, { resource: td.value.arn, expected: cfg.cluster, found: 'not set' })];
    }
    if (entry.source === 'secrets') {
      return [error(`${where} takes CLUSTER_NAME from a secrets reference (${entry.valueFrom}); its value cannot be verified.`, { resource: td.value.arn, expected: 'a plain environment value', found: `secrets valueFrom ${entry.valueFrom}` })];
    }
    const value = entry.value;
    if (looksLikePlaceholder(value) || value.trim() === '') {
      return [fail(`${where} sets CLUSTER_NAME=${value || '(empty)'}, still the runbook placeholder instead of cluster ${cfg.cluster}.`, { resource: td.value.arn, expected: cfg.cluster, found: value })];
    }
    const cluster = await inv.cluster(value);
    if (!cluster || cluster.status !== 'ACTIVE') {
      return [
        fail(`${where} sets CLUSTER_NAME=${value}, but ECS cluster ${value} ${cluster ? `is ${cluster.status}` : 'does not exist'}; Data tasks cannot start there.`, {
          resource: td.value.arn,
          expected: `${cfg.cluster} (ACTIVE)`,
          found: cluster ? `${cluster.name} (${cluster.status})` : `${value} (not found)`,
        }),
      ];
    }
    if (cluster.name !== clusterName(cfg.cluster)) {
      return [
        fail(`${where} sets CLUSTER_NAME=${value}, an ACTIVE cluster but not ${cfg.cluster} where this deployment runs; the Insight service would start Data tasks in the wrong cluster.`, {
          resource: td.value.arn,
          expected: cfg.cluster,
          found: value,
        }),
      ];
    }
    return [pass(`${where} sets CLUSTER_NAME=${value}, the ACTIVE ECS cluster ${cluster.arn}.`, { resource: td.value.arn })];
  },
};

export default check;
