import { taskDefinitionRun, TASK_DEFINITION_RUN_CODES } from './support/task-shape.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'insight-task-definition',
  title: 'Insight task definition family has an ACTIVE revision',
  step: 7,
  severity: 'critical',
  remediation:
    'Register the Edgi Insight task definition of runbook step 7 (family oe_edgi_insights_service, or the family set in taskDefinitions.insight) so it has an ACTIVE revision, and run the Insight service on it (step 8).',
  codes: TASK_DEFINITION_RUN_CODES,
  permissions: ['ecs:DescribeTaskDefinition'],
  run: taskDefinitionRun('insight'),
};

export default check;
