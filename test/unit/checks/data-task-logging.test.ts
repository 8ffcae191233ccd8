import check from '../../../src/checks/data-task-logging.js';
import { taskLoggingSuite } from '../../support/task-shape-cases.js';

taskLoggingSuite(check, 'data');
