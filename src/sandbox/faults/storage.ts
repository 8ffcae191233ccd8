// Faults of runbook step 2–3 (EFS access points and mount targets, S3 bucket).
import type { Fault } from './support.js';

export const STORAGE_FAULTS: Fault[] = [];
