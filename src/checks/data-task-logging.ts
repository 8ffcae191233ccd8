import { taskLoggingRun, TASK_LOGGING_CODES } from './support/task-shape.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'data-task-logging',
  title: 'Data container logs to an existing CloudWatch log group (awslogs)',
  step: 6,
  severity: 'medium',
  remediation:
    'Enable CloudWatch Logs for the Data container (runbook step 6): log driver awslogs with awslogs-group set to an existing log group (create it, e.g. /ecs/edgi-data-service) and awslogs-region set to the deployment region.',
  codes: TASK_LOGGING_CODES,
  permissions: ['ecs:DescribeTaskDefinition', 'logs:DescribeLogGroups'],
  run: taskLoggingRun('data'),
};

export default check;
