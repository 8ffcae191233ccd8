// The fault matrix, part 2 of 3 (test/support/matrix-cases.ts).
import { faultMatrix } from '../support/matrix-cases.js';

faultMatrix(2, 3);
