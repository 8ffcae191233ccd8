import { taskEnvRun, TASK_ENV_CODES } from './support/task-shape.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'insight-task-env',
  title: 'Insight task definition carries every runbook variable with the runbook\'s fixed values',
  step: 7,
  severity: 'critical',
  remediation:
    'Set every environment variable of runbook step 7 on the Insight container with real values (no <placeholders>) and the fixed ones as the runbook gives them (AI_FUNCTION_QUEUE_NAME=ai_functions_queue, DATA_SYNC_QUEUE_NAME=data_sync_queue, CREDENTIAL_TYPE=container, DEPLOYMENT_TYPE=ecs, ENV=prod, LOG_PATH, DOCS_FOLDER, STORE_FOLDER, EDGI_WORKSPACE_DISCOVERY=dynamic); register a new revision and redeploy the Insight service.',
  codes: TASK_ENV_CODES,
  permissions: ['ecs:DescribeTaskDefinition'],
  run: taskEnvRun('insight'),
};

export default check;
