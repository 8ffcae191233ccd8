import check from '../../../src/checks/data-task-definition.js';
import { taskDefinitionSuite } from '../../support/task-shape-cases.js';

taskDefinitionSuite(check, 'data');
