import { taskLoggingRun, TASK_LOGGING_CODES } from './support/task-shape.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'insight-task-logging',
  title: 'Insight container logs to an existing CloudWatch log group (awslogs)',
  step: 7,
  severity: 'medium',
  remediation:
    'Enable CloudWatch Logs for the Insight container (runbook step 7): log driver awslogs with awslogs-group set to an existing log group (create it, e.g. /ecs/oe_edgi_insights_service) and awslogs-region set to the deployment region; register a new revision and redeploy the Insight service.',
  codes: TASK_LOGGING_CODES,
  permissions: ['ecs:DescribeTaskDefinition', 'logs:DescribeLogGroups'],
  run: taskLoggingRun('insight'),
};

export default check;
