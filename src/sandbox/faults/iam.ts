// Faults of runbook step 4–5 (IAM user, access key, task role).
import type { Fault } from './support.js';

export const IAM_FAULTS: Fault[] = [];
