import type { Check } from '../engine/check.js';
import { logErrorsRun, LOG_ERRORS_CODES } from './support/log-errors.js';

const check: Check = {
  id: 'data-log-errors',
  title: 'The Data services logged no errors in the recent window',
  step: 10,
  severity: 'medium',
  remediation:
    'Read the Data service log lines shown: a database error points at the AWS_SCTNAME secret (step 6) or the RDS security group (step 1), an S3 error at the bucket (step 3) or the task role (step 5).',
  codes: LOG_ERRORS_CODES,
  permissions: ['ecs:DescribeTaskDefinition', 'logs:DescribeLogGroups', 'logs:FilterLogEvents'],
  run: logErrorsRun('data'),
};

export default check;
