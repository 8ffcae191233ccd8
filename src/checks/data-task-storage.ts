import { taskStorageRun, TASK_STORAGE_CODES } from './support/task-shape.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'data-task-storage',
  title: 'Data task definition allocates 21–200 GiB of ephemeral storage',
  step: 6,
  severity: 'medium',
  remediation:
    'Allocate ephemeral storage on the Data task definition (runbook step 6: up to 200 GB; ephemeralStorage.sizeInGiB between 21 and 200, or expect.ephemeralStorage); register a new revision, re-pin TASK_DEFINITION on the Insight task definition and redeploy the Insight service.',
  codes: TASK_STORAGE_CODES,
  permissions: ['ecs:DescribeTaskDefinition'],
  run: taskStorageRun('data'),
};

export default check;
