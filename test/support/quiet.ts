import { quietNodeVersionWarning } from '../../src/quiet.js';

quietNodeVersionWarning();
