import { error, fail, pass } from '../engine/finding.js';
import { insightEndpoint } from './support/ovaledge.js';
import { tdName } from './support/task.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'insight-service-discovery',
  title: 'Insight service has service discovery in the EDGI_WORKSPACE_NAME_SPACE namespace; its endpoint is <service>.<namespace>',
  step: 8,
  severity: 'critical',
  remediation:
    'Enable Service Discovery when creating the Edgi Insight ECS service (runbook step 8: Configuration and Networking → Service Discovery) in the Cloud Map namespace named by EDGI_WORKSPACE_NAME_SPACE, and note the Service Discovery Endpoint <service>.<namespace> for EDGI_INSIGHT_SERVICE_HOST in step 9. Service discovery cannot be added to an existing service: re-create it.',
  needs: ['insight-service-network', 'insight-task-definition'],
  permissions: ['ecs:DescribeServices', 'ecs:DescribeTaskDefinition', 'servicediscovery:GetService', 'servicediscovery:ListNamespaces'],
  async run(inv, cfg) {
    const ep = await insightEndpoint(inv, cfg);
    if (!ep.ok) {
      const message =
        ep.why === 'discovery-off'
          ? `Service discovery is not enabled on ECS service ${cfg.services.insight}; Service Discovery must be enabled for the integration with OvalEdge.`
          : `Service discovery of the Insight service cannot be resolved: ${ep.message}.`;
      return [fail(message, { resource: ep.resource, expected: ep.expected, found: ep.found })];
    }
    const { service, cloudMapService: cm, namespace, endpoint } = ep;
    const family = cfg.taskDefinitions.insight;
    const td = await inv.taskDefinition(family);
    if (!td) {
      return [error(`Insight task definition family ${family} has no ACTIVE revision; cannot read EDGI_WORKSPACE_NAME_SPACE to verify the namespace of ${endpoint}.`, { resource: family, expected: 'an ACTIVE revision', found: 'none' })];
    }
    const wanted = td.containers.flatMap((c) => c.environment.filter((e) => e.name === 'EDGI_WORKSPACE_NAME_SPACE' && !e.secret)).map((e) => e.value)[0];
    if (wanted === undefined) {
      return [
        error(`Task definition ${tdName(td)} has no EDGI_WORKSPACE_NAME_SPACE; cannot verify that Cloud Map service ${cm.name} is in the right namespace.`, {
          resource: td.arn,
          expected: 'EDGI_WORKSPACE_NAME_SPACE set',
          found: 'not set',
        }),
      ];
    }
    if (namespace.name !== wanted) {
      return [
        fail(`Cloud Map service ${cm.name} (${cm.id}) of ECS service ${service.name} is in namespace ${namespace.name} (${namespace.id}), not ${wanted} named by EDGI_WORKSPACE_NAME_SPACE on ${tdName(td)}.`, {
          resource: cm.arn || cm.id,
          expected: wanted,
          found: namespace.name,
        }),
      ];
    }
    return [pass(`ECS service ${service.name} registers in Cloud Map service ${cm.name} (${cm.id}) in namespace ${namespace.name}; Service Discovery Endpoint: ${endpoint}.`, { resource: cm.arn || cm.id })];
  },
};

export default check;
