// Faults of runbook step 6 (Data task definition and its secret).
import type { Fault } from './support.js';

export const DATA_FAULTS: Fault[] = [];
