import { taskStorageRun, TASK_STORAGE_CODES } from './support/task-shape.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'insight-task-storage',
  title: 'Insight task definition allocates 21–200 GiB of ephemeral storage',
  step: 7,
  severity: 'medium',
  remediation:
    'Allocate ephemeral storage on the Insight task definition (runbook step 7: up to 200 GB; ephemeralStorage.sizeInGiB between 21 and 200, or expect.ephemeralStorage); register a new revision and redeploy the Insight service.',
  codes: TASK_STORAGE_CODES,
  permissions: ['ecs:DescribeTaskDefinition'],
  run: taskStorageRun('insight'),
};

export default check;
