// The fault matrix, part 1 of 3 (test/support/matrix-cases.ts).
import { faultMatrix } from '../support/matrix-cases.js';

faultMatrix(1, 3);
