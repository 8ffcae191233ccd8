// Runbook steps as reporters group and name them.
import type { CheckResult } from '../model.js';

/** Runbook step names (runbook-ecs-variant-2.txt), shared by every reporter that groups by step. */
export const STEP_NAMES: Readonly<Record<number, string>> = {
  0: 'Identity and region',
  1: 'Network security',
  2: 'EFS access points',
  3: 'S3 bucket',
  4: 'IAM user',
  5: 'ECS task role',
  6: 'Data task definition',
  7: 'Insight task definition',
  8: 'Insight service and service discovery',
  9: 'OvalEdge UI and Job task definitions',
  10: 'AskEdgi feature verification',
};

export function stepName(step: number): string {
  return STEP_NAMES[step] ?? `Step ${step}`;
}

/** Results grouped by step, steps ascending, report order kept inside a step. */
export function groupByStep(results: readonly CheckResult[]): Array<{ step: number; results: CheckResult[] }> {
  const groups = new Map<number, CheckResult[]>();
  for (const r of results) {
    const group = groups.get(r.step);
    if (group) group.push(r);
    else groups.set(r.step, [r]);
  }
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([step, rs]) => ({ step, results: rs }));
}
