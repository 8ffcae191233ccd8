// Faults of runbook step 8–9 (Insight service, service discovery, UI and Job task definitions) and placeholders.
import type { Fault } from './support.js';

export const OVALEDGE_FAULTS: Fault[] = [];
