import { taskSizeRun, TASK_SIZE_CODES } from './support/task-shape.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'insight-task-size',
  title: 'Insight task definition is 1 vCPU / 2 GB, a valid Fargate task size',
  step: 7,
  severity: 'high',
  remediation:
    'Set the Insight task definition size to the runbook\'s 1 vCPU (cpu 1024) and 2 GB (memory 2048), or the values in expect.insight, as a valid Fargate cpu/memory pair; register a new revision and redeploy the Insight service.',
  codes: TASK_SIZE_CODES,
  permissions: ['ecs:DescribeTaskDefinition'],
  run: taskSizeRun('insight'),
};

export default check;
