import check from '../../../src/checks/insight-task-logging.js';
import { taskLoggingSuite } from '../../support/task-shape-cases.js';

taskLoggingSuite(check, 'insight');
