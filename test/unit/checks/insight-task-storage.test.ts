import check from '../../../src/checks/insight-task-storage.js';
import { taskStorageSuite } from '../../support/task-shape-cases.js';

taskStorageSuite(check, 'insight');
