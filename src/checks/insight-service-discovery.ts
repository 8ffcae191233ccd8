import type { Finding } from '../model.js';
import { error, fail, pass } from '../engine/finding.js';
import { defineResolver, resolve } from '../resolve/core.js';
import { INSIGHT_SERVICE, INSIGHT_TASK_DEFINITION } from '../resolve/deployment.js';
import { insightEndpoint } from './support/ovaledge.js';
import { envValue, tdName } from '../resolve/env.js';
import type { Check } from '../engine/check.js';

/**
 * The Insight Service Discovery Endpoint "<service>.<namespace>" (runbook step 8), in the namespace
 * EDGI_WORKSPACE_NAME_SPACE names; root: insight-service-discovery.
 */
export const INSIGHT_DISCOVERY = defineResolver<{ endpoint: string; findings: Finding[] }>('insight-discovery', 'insight-service-discovery', async ({ inv, cfg, need }) => {
    await need(INSIGHT_SERVICE);
    const td = await need(INSIGHT_TASK_DEFINITION);
    const ep = await insightEndpoint(inv, cfg);
    if (!ep.ok) {
      const message =
        ep.why === 'discovery-off'
          ? `Service discovery is not enabled on ECS service ${cfg.services.insight}; Service Discovery must be enabled for the integration with OvalEdge.`
          : `Service discovery of the Insight service cannot be resolved: ${ep.message}.`;
      return { ok: false, findings: [fail(message, { code: 'discovery-unresolved', resource: ep.resource, expected: ep.expected, found: ep.found })] };
    }
    const { service, cloudMapService: cm, namespace, endpoint } = ep;
    const wanted = envValue(td, 'EDGI_WORKSPACE_NAME_SPACE');
    if (wanted === undefined) {
      return {
        ok: false,
        findings: [
        error(`Task definition ${tdName(td)} has no EDGI_WORKSPACE_NAME_SPACE; cannot verify that Cloud Map service ${cm.name} is in the right namespace.`, {
          code: 'namespace-variable-missing',
          resource: td.arn,
          expected: 'EDGI_WORKSPACE_NAME_SPACE set',
          found: 'not set',
        }),
        ],
      };
    }
    if (namespace.name !== wanted) {
      return {
        ok: false,
        findings: [
        fail(`Cloud Map service ${cm.name} (${cm.id}) of ECS service ${service.name} is in namespace ${namespace.name} (${namespace.id}), not ${wanted} named by EDGI_WORKSPACE_NAME_SPACE on ${tdName(td)}.`, {
          code: 'wrong-namespace',
          resource: cm.arn || cm.id,
          expected: wanted,
          found: namespace.name,
        }),
        ],
      };
    }
    return { ok: true, value: { endpoint, findings: [pass(`ECS service ${service.name} registers in Cloud Map service ${cm.name} (${cm.id}) in namespace ${namespace.name}; Service Discovery Endpoint: ${endpoint}.`, { resource: cm.arn || cm.id })] } };
});

const check: Check = {
  id: 'insight-service-discovery',
  title: 'Insight service has service discovery in the EDGI_WORKSPACE_NAME_SPACE namespace; its endpoint is <service>.<namespace>',
  step: 8,
  severity: 'critical',
  remediation:
    'Enable Service Discovery when creating the Edgi Insight ECS service (runbook step 8: Configuration and Networking → Service Discovery) in the Cloud Map namespace named by EDGI_WORKSPACE_NAME_SPACE, and note the Service Discovery Endpoint <service>.<namespace> for EDGI_INSIGHT_SERVICE_HOST in step 9. Service discovery cannot be added to an existing service: re-create it.',
  codes: ['discovery-unresolved', 'namespace-variable-missing', 'wrong-namespace'],
  permissions: ['ecs:DescribeServices', 'ecs:DescribeTaskDefinition', 'servicediscovery:GetService', 'servicediscovery:ListNamespaces'],
  async run(inv, cfg) {
    const r = await resolve(inv, cfg, INSIGHT_DISCOVERY);
    return r.ok ? r.value.findings : r.findings;
  },
};

export default check;
