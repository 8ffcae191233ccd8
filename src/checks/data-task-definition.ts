import { taskDefinitionRun, TASK_DEFINITION_RUN_CODES } from './support/task-shape.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'data-task-definition',
  title: 'Data task definition family has an ACTIVE revision',
  step: 6,
  severity: 'critical',
  remediation:
    'Register the Edgi Data Service task definition of runbook step 6 (family edgi-data-service, or the family set in taskDefinitions.data) so it has an ACTIVE revision; the Insight service starts Data services from it.',
  codes: TASK_DEFINITION_RUN_CODES,
  permissions: ['ecs:DescribeTaskDefinition'],
  run: taskDefinitionRun('data'),
};

export default check;
