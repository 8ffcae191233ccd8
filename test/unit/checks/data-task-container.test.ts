import check from '../../../src/checks/data-task-container.js';
import { taskContainerSuite } from '../../support/task-shape-cases.js';

taskContainerSuite(check, 'data');
