import { fail, pass } from '../engine/finding.js';
import { PLAIN_VALUE_CODES, plainValue, tdName } from '../resolve/env.js';
import { DATA_TASK_DEFINITION, INSIGHT_TASK_DEFINITION, ROLE_CONTAINER_CODES, roleMain } from '../resolve/deployment.js';
import { need } from '../resolve/core.js';
import { scheduledForDeletion } from './support/task-shape.js';
import type { Check } from '../engine/check.js';

// Insight reads the database credentials itself (runbook step 7: AWS_SCTNAME on the Insight task
// definition too); it must resolve to the very secret the Data side reads, by ARN, and that secret
// must not be scheduled for deletion. data-db-secret verifies the secret's keys.
const check: Check = {
  id: 'insight-db-secret',
  title: "Insight's AWS_SCTNAME resolves to the same database secret as Data's, which exists and is not scheduled for deletion",
  step: 7,
  severity: 'critical',
  remediation:
    'Set AWS_SCTNAME on the Edgi Insight task definition to the database secret the Data task definition names (runbook steps 6 and 7), register a new revision and redeploy the Insight service; restore a secret scheduled for deletion (aws secretsmanager restore-secret).',
  permissions: ['ecs:DescribeTaskDefinition', 'secretsmanager:DescribeSecret'],
  codes: [...ROLE_CONTAINER_CODES, ...PLAIN_VALUE_CODES, 'secret-missing', 'secret-scheduled-for-deletion', 'secret-other'],
  async run(inv, cfg) {
    const insight = await need(inv, cfg, INSIGHT_TASK_DEFINITION);
    const data = await need(inv, cfg, DATA_TASK_DEFINITION);
    const why = 'the database secret cannot be located';
    const readInsight = plainValue(insight, roleMain(insight, cfg, 'insight'), 'AWS_SCTNAME', { why, expected: 'AWS_SCTNAME=<secret name>', absent: 'error' });
    if (!readInsight.ok) return [readInsight.finding];
    const readData = plainValue(data, roleMain(data, cfg, 'data'), 'AWS_SCTNAME', { why, expected: 'AWS_SCTNAME=<secret name>', absent: 'error' });
    if (!readData.ok) return [readData.finding];
    const name = readInsight.value;
    const where = `AWS_SCTNAME=${name} on ${tdName(insight)}`;
    const meta = await inv.secretMetadata(name);
    if (!meta) {
      return [fail(`Secret ${name} (${where}) does not exist in Secrets Manager; the Insight service cannot read the database credentials.`, { resource: name, expected: `the secret Data reads (${readData.value})`, found: 'no such secret', code: 'secret-missing' })];
    }
    if (meta.deletedDate) return [scheduledForDeletion(meta, `(${where})`)];
    const dataWhere = `AWS_SCTNAME=${readData.value} on ${tdName(data)}`;
    const dataMeta = readData.value === name ? meta : await inv.secretMetadata(readData.value);
    // When Data's secret cannot be found (data-db-secret fails on it), compare what is written.
    const same = dataMeta ? dataMeta.arn === meta.arn : readData.value === name;
    if (!same) {
      return [
        fail(`Insight reads secret ${meta.name} (${meta.arn}, ${where}) but Data reads ${dataMeta ? `${dataMeta.name} (${dataMeta.arn})` : readData.value} (${dataWhere}); both services must use the one database secret.`, {
          resource: meta.arn || meta.name,
          expected: dataMeta ? dataMeta.arn : readData.value,
          found: meta.arn || meta.name,
          code: 'secret-other',
        }),
      ];
    }
    return [pass(`Secret ${meta.name} (${meta.arn}, ${where}) is the secret Data reads (${dataWhere}) and is not scheduled for deletion.`, { resource: meta.arn || meta.name })];
  },
};

export default check;
