import type { Finding } from '../model.js';
import { error, fail } from '../engine/finding.js';
import { runsLatest, DEPLOYMENT_CODES } from './support/ovaledge.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'ovaledge-services-latest',
  title: 'OvalEdge UI and Job services run the latest revision of their task definitions',
  step: 9,
  severity: 'high',
  remediation:
    'Deploy the latest OvalEdge UI and Job task definition revisions to the ovaledge-ui and ovaledge-job ECS services (runbook step 9: "Always deploy the latest task definition revision to apply changes"), e.g. Update service → latest revision → Force new deployment.',
  codes: ['service-not-found', 'no-active-revision', ...DEPLOYMENT_CODES],
  permissions: ['ecs:DescribeServices', 'ecs:DescribeTaskDefinition'],
  async run(inv, cfg) {
    const findings: Finding[] = [];
    const pairs = [
      { role: 'OvalEdge UI', service: cfg.services.ui, family: cfg.taskDefinitions.ui },
      { role: 'OvalEdge Job', service: cfg.services.job, family: cfg.taskDefinitions.job },
    ];
    for (const p of pairs) {
      const service = await inv.service(cfg.cluster, p.service);
      if (!service || service.status === 'INACTIVE') {
        findings.push(fail(`${p.role} ECS service ${p.service} not found in cluster ${cfg.cluster}.`, { code: 'service-not-found', resource: p.service, expected: 'an ACTIVE service', found: service ? service.status : 'none' }));
        continue;
      }
      const latest = await inv.taskDefinition(p.family);
      if (!latest) {
        findings.push(error(`${p.role} task definition family ${p.family} has no ACTIVE revision; cannot tell whether ECS service ${service.name} runs the latest one.`, { code: 'no-active-revision', resource: p.family, expected: 'an ACTIVE revision', found: 'none' }));
        continue;
      }
      findings.push(...runsLatest(service, latest));
    }
    return findings;
  },
};

export default check;
