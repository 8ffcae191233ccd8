import check from '../../../src/checks/data-task-storage.js';
import { taskStorageSuite } from '../../support/task-shape-cases.js';

taskStorageSuite(check, 'data');
