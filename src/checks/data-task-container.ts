import { taskContainerRun, TASK_CONTAINER_CODES } from './support/task-shape.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'data-task-container',
  title: 'Data task definition has container edgi-data-service with port 8000 mapped',
  step: 6,
  severity: 'high',
  remediation:
    'Name the Data container edgi-data-service and map container port 8000 (runbook step 6), or set expect.data.container/port; register a new revision, re-pin TASK_DEFINITION on the Insight task definition and redeploy the Insight service.',
  codes: TASK_CONTAINER_CODES,
  permissions: ['ecs:DescribeTaskDefinition'],
  run: taskContainerRun('data'),
};

export default check;
