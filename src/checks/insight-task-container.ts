import { taskContainerRun, TASK_CONTAINER_CODES } from './support/task-shape.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'insight-task-container',
  title: 'Insight task definition has container oe_edgi_insights_service with port 8000 mapped',
  step: 7,
  severity: 'high',
  remediation:
    'Name the Insight container as configured (runbook step 7: oe_edgi_insights_service, customizable via expect.insight.container) and map container port 8000; register a new revision and redeploy the Insight service.',
  codes: TASK_CONTAINER_CODES,
  permissions: ['ecs:DescribeTaskDefinition'],
  run: taskContainerRun('insight'),
};

export default check;
