import type { TaskDefinition } from '../inventory/types.js';
import type { Finding } from '../model.js';
import { error, pass, warn } from '../engine/finding.js';
import { envEntry, tdName } from '../resolve/env.js';
import { DATA_TASK_DEFINITION, INSIGHT_TASK_DEFINITION, roleMain } from '../resolve/deployment.js';
import { need } from '../resolve/core.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'env-value-agreement',
  title: 'Data and Insight task definitions set the same ENV value',
  step: 7,
  severity: 'medium',
  remediation:
    'The runbook sets ENV=production on the Data task definition (step 6) and ENV=prod on the Insight task definition (step 7). Ask the development team which value the services expect, set that value on both task definitions (and in expect.data.env / expect.insight.env of this config), register new revisions and redeploy.',
  codes: ['env-missing', 'env-from-secret', 'mismatch'],
  permissions: ['ecs:DescribeTaskDefinition'],
  async run(inv, cfg) {
    const data = await need(inv, cfg, DATA_TASK_DEFINITION);
    const insight = await need(inv, cfg, INSIGHT_TASK_DEFINITION);
    const read = (td: TaskDefinition, role: 'data' | 'insight'): { value?: string; finding?: Finding } => {
      const entry = envEntry(roleMain(td, cfg, role), 'ENV');
      if (!entry) return { finding: error(`Task definition ${tdName(td)} has no ENV; it cannot be compared.`, { code: 'env-missing', resource: td.arn, expected: 'ENV set', found: 'not set' }) };
      if (entry.source === 'secrets') {
        return { finding: error(`Task definition ${tdName(td)} takes ENV from a secrets reference (${entry.valueFrom}); it cannot be compared.`, { code: 'env-from-secret', resource: td.arn, expected: 'a plain environment value', found: `secrets valueFrom ${entry.valueFrom}` }) };
      }
      return { value: entry.value };
    };
    const d = read(data, 'data');
    const i = read(insight, 'insight');
    const problems = [d.finding, i.finding].filter((f) => f !== undefined);
    if (problems.length > 0) return problems;
    const both = `Data ${tdName(data)} and Insight ${tdName(insight)}`;
    if (d.value === i.value) return [pass(`${both} both set ENV=${d.value}.`, { resource: insight.arn })];
    return [
      warn(
        `Task definition ${tdName(data)} (Data) sets ENV=${d.value!} but ${tdName(insight)} (Insight) sets ENV=${i.value!}; the runbook itself differs here (production in step 6, prod in step 7), so the development team must confirm which value the services expect.`,
        { code: 'mismatch', resource: insight.arn, expected: `the same ENV on ${both}`, found: `Data ENV=${d.value!}, Insight ENV=${i.value!}` },
      ),
    ];
  },
};

export default check;
