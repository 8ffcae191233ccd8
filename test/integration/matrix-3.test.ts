// The fault matrix, part 3 of 3 (test/support/matrix-cases.ts).
import { faultMatrix } from '../support/matrix-cases.js';

faultMatrix(3, 3);
