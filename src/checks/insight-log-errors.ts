import type { Check } from '../engine/check.js';
import { logErrorsRun, LOG_ERRORS_CODES } from './support/log-errors.js';

const check: Check = {
  id: 'insight-log-errors',
  title: 'The Insight service logged no errors in the recent window',
  step: 10,
  severity: 'high',
  remediation:
    'Runbook step 10, "If Workspace is Not Created": read the Insight service log lines shown; an AccessDenied points at the task role (step 5), a connection error at the security groups (step 1) or the environment variables (step 7). Fix the cause, then re-check.',
  codes: LOG_ERRORS_CODES,
  permissions: ['ecs:DescribeTaskDefinition', 'logs:DescribeLogGroups', 'logs:FilterLogEvents'],
  run: logErrorsRun('insight'),
};

export default check;
