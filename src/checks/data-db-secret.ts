import { DB_SECRET_CODES, dbSecretRun } from './support/task-shape.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'data-db-secret',
  title: 'The database secret named by AWS_SCTNAME exists, is not scheduled for deletion and holds the database keys',
  step: 6,
  severity: 'critical',
  remediation:
    'Create the database secret in Secrets Manager as a JSON object with the keys host, port, username and password (or expect.dbSecretKeys), and set its name in AWS_SCTNAME on the Data and Insight task definitions (runbook steps 6 and 7).',
  permissions: ['ecs:DescribeTaskDefinition', 'secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
  codes: DB_SECRET_CODES,
  run: dbSecretRun('data'),
};

export default check;
