// Template for a built-in check (README "Adding a check"). Copy it to src/checks/<id>.ts, rename
// the id (kebab-case, equal to the file name, never changed afterwards) and fill in the blanks.
// It typechecks here so that it keeps up with the API.
import type { Check } from '../../src/engine/check.js';
import { fail, pass } from '../../src/engine/finding.js';
import { need } from '../../src/resolve/core.js';
import { INSIGHT_TASK_DEFINITION } from '../../src/resolve/deployment.js';
import { mainContainer, plainValue, tdName } from '../../src/resolve/env.js';

const check: Check = {
  id: 'new-check',
  // The healthy state, not "Ensure …".
  title: 'Insight SQS_QUEUE_PREFIX names the tenant prefix',
  step: 7,
  severity: 'medium',
  remediation: 'In the runbook\'s terms: which variable, on which task definition, set to what; then register a new revision and redeploy.',
  // Every IAM action the check reads with, including those of the resolvers it calls; the
  // permissions-parity test fails when one is missing.
  permissions: ['ecs:DescribeTaskDefinition'],
  async run(inv, cfg) {
    // A resolver's root failed → this check is skipped "because <root> failed" (or reports the
    // root's reason as error when run without it). No `needs` to declare.
    const td = await need(inv, cfg, INSIGHT_TASK_DEFINITION);
    const prefix = plainValue(td, mainContainer(td, cfg.expect.insight.container), 'SQS_QUEUE_PREFIX', { why: 'the Insight service cannot find its SQS queues' });
    if (!prefix.ok) return [prefix.finding];
    if (!prefix.value.startsWith(cfg.cluster)) {
      return [fail(`Task definition ${tdName(td)} sets SQS_QUEUE_PREFIX=${prefix.value}, not a prefix of cluster ${cfg.cluster}.`, { resource: td.arn, expected: `${cfg.cluster}…`, found: prefix.value })];
    }
    return [pass(`Task definition ${tdName(td)} sets SQS_QUEUE_PREFIX=${prefix.value}.`, { resource: td.arn })];
  },
};

export default check;
