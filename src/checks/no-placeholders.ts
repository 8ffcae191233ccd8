import { looksLikePlaceholder } from '../inventory/redact.js';
import type { Finding } from '../model.js';
import { error, fail, pass } from '../engine/finding.js';
import { tdName } from '../resolve/env.js';
import type { Check } from '../engine/check.js';
import { needDataAndInsight } from '../resolve/deployment.js';

const check: Check = {
  id: 'no-placeholders',
  title: 'No task definition value is still a runbook placeholder',
  step: 9,
  severity: 'high',
  remediation:
    'Replace every runbook placeholder ("<Region>", "<S3 bucket name>", "<SQS prefix name>", a stray ">" as in "Edgi user secret key>") in the Data, Insight, UI and Job task definitions with the real value, register new revisions and deploy them.',
  codes: ['no-active-revision', 'placeholder-secret', 'placeholder', 'placeholder-reference'],
  permissions: ['ecs:DescribeTaskDefinition'],
  async run(inv, cfg) {
    await needDataAndInsight(inv, cfg);
    const findings: Finding[] = [];
    const families = [
      { role: 'Data', family: cfg.taskDefinitions.data },
      { role: 'Insight', family: cfg.taskDefinitions.insight },
      { role: 'OvalEdge UI', family: cfg.taskDefinitions.ui },
      { role: 'OvalEdge Job', family: cfg.taskDefinitions.job },
    ];
    for (const { role, family } of families) {
      const td = await inv.taskDefinition(family);
      if (!td) {
        findings.push(error(`${role} task definition family ${family} has no ACTIVE revision; its values cannot be read.`, { code: 'no-active-revision', resource: family, expected: 'an ACTIVE revision', found: 'none' }));
        continue;
      }
      const where = tdName(td);
      let count = 0;
      const before = findings.length;
      for (const c of td.containers) {
        for (const e of c.environment) {
          count += 1;
          if (e.secret) {
            // Only the variable's name: a secret value is never shown, even a placeholder one.
            if (e.secret.placeholder) findings.push(fail(`Task definition ${where} still has the runbook placeholder in secret variable ${e.name} (container ${c.name}).`, { code: 'placeholder-secret', resource: td.arn, expected: `${e.name} set to the real value`, found: 'a runbook placeholder (value not shown)' }));
          } else if (looksLikePlaceholder(e.value)) {
            findings.push(fail(`Task definition ${where} sets ${e.name}=${e.value} (container ${c.name}), still a runbook placeholder.`, { code: 'placeholder', resource: td.arn, expected: `${e.name} set to the real value`, found: e.value }));
          }
        }
        for (const s of c.secrets) {
          count += 1;
          if (looksLikePlaceholder(s.valueFrom)) {
            findings.push(fail(`Task definition ${where} takes ${s.name} from ${s.valueFrom} (container ${c.name}), still a runbook placeholder.`, { code: 'placeholder-reference', resource: td.arn, expected: `${s.name} from a real Secrets Manager or SSM ARN`, found: s.valueFrom }));
          }
        }
      }
      if (findings.length === before) findings.push(pass(`Task definition ${where} has no runbook placeholder among its ${count} variables.`, { resource: td.arn }));
    }
    return findings;
  },
};

export default check;
