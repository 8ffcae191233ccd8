import { taskEnvRun, TASK_ENV_CODES } from './support/task-shape.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'data-task-env',
  title: 'Data task definition carries every runbook variable with the runbook\'s fixed values (CREDENTIAL_TYPE, DEPLOYMENT_TYPE, ENV)',
  step: 6,
  severity: 'critical',
  remediation:
    'Set the environment variables of runbook step 6 on the Data container: AWS_REGION, AWS_SCTNAME (database secret name), BUCKET_NAME with real values, and CREDENTIAL_TYPE=container, DEPLOYMENT_TYPE=ecs, ENV=production; register a new revision, re-pin TASK_DEFINITION on the Insight task definition and redeploy the Insight service.',
  codes: TASK_ENV_CODES,
  permissions: ['ecs:DescribeTaskDefinition'],
  run: taskEnvRun('data'),
};

export default check;
