// Faults of runbook step 7 (Insight task definition and its cross-references).
import type { Fault } from './support.js';

export const INSIGHT_FAULTS: Fault[] = [];
