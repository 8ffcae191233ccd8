import { taskSizeRun, TASK_SIZE_CODES } from './support/task-shape.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'data-task-size',
  title: 'Data task definition is 0.5 vCPU / 2 GB, a valid Fargate task size',
  step: 6,
  severity: 'high',
  remediation:
    'Set the Data task definition size to the runbook\'s 0.5 vCPU (cpu 512) and 2 GB (memory 2048), or the values in expect.data, as a valid Fargate cpu/memory pair; register a new revision, re-pin TASK_DEFINITION on the Insight task definition and redeploy the Insight service.',
  codes: TASK_SIZE_CODES,
  permissions: ['ecs:DescribeTaskDefinition'],
  run: taskSizeRun('data'),
};

export default check;
