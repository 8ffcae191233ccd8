import check from '../../../src/checks/insight-task-container.js';
import { taskContainerSuite } from '../../support/task-shape-cases.js';

taskContainerSuite(check, 'insight');
