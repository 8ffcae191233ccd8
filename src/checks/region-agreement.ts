import { looksLikePlaceholder } from '../inventory/redact.js';
import type { Finding } from '../model.js';
import { error, fail, pass } from '../engine/finding.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'region-agreement',
  title: 'One region everywhere: config, AWS_REGION (Data, Insight) and EDGI_AWS_REGION (UI, Job)',
  step: 0,
  severity: 'high',
  remediation:
    'Set AWS_REGION on the Data and Insight task definitions and EDGI_AWS_REGION on the UI and Job task definitions to the deployment region (the runbook\'s <Region>), register new revisions and redeploy.',
  codes: ['family-not-found', 'variable-missing', 'wrong-region'],
  permissions: ['ecs:DescribeTaskDefinition'],
  async run(inv, cfg) {
    const region = cfg.region!;
    const places = [
      { family: cfg.taskDefinitions.data, variable: 'AWS_REGION' },
      { family: cfg.taskDefinitions.insight, variable: 'AWS_REGION' },
      { family: cfg.taskDefinitions.ui, variable: 'EDGI_AWS_REGION' },
      { family: cfg.taskDefinitions.job, variable: 'EDGI_AWS_REGION' },
    ];
    const findings: Finding[] = [];
    for (const { family, variable } of places) {
      const td = await inv.taskDefinition(family);
      if (!td) {
        findings.push(error(`Task definition family ${family} not found; cannot read ${variable}.`, { code: 'family-not-found', resource: family, expected: 'an ACTIVE revision', found: 'none' }));
        continue;
      }
      const values = td.containers.flatMap((c) => c.environment.filter((e) => e.name === variable).map((e) => e.value));
      const where = `${td.family}:${td.revision}`;
      if (values.length === 0) {
        findings.push(fail(`Task definition ${where} has no ${variable}.`, { code: 'variable-missing', resource: td.arn, expected: `${variable}=${region}`, found: 'not set' }));
      } else if (values.some((v) => v !== region)) {
        const bad = values.find((v) => v !== region)!;
        const why = looksLikePlaceholder(bad) ? ' (still the runbook placeholder)' : '';
        findings.push(fail(`Task definition ${where} sets ${variable}=${bad}, not the deployment region ${region}${why}.`, { code: 'wrong-region', resource: td.arn, expected: region, found: bad }));
      } else {
        findings.push(pass(`Task definition ${where} sets ${variable}=${region}.`, { resource: td.arn }));
      }
    }
    return findings;
  },
};

export default check;
