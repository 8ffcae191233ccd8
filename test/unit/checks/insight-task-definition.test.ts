import check from '../../../src/checks/insight-task-definition.js';
import { taskDefinitionSuite } from '../../support/task-shape-cases.js';

taskDefinitionSuite(check, 'insight');
