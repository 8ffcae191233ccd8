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

/** Why each runbook step matters: what breaks, and how it shows, when the step is wrong. `explain` prints it. */
export const STEP_WHY: Readonly<Record<number, string>> = {
  0: 'Every other check reads one account in one region; credentials for another account or a region mismatch make the whole report describe the wrong deployment.',
  1: 'The Insight service and the data services it starts talk to Elasticsearch (9200), MySQL (3306) and EFS (2049) and are called on 8000. Security groups are stateful and a missing rule shows up only as timeouts, usually as a workspace that never initialises.',
  2: 'The Insight service keeps its logs, uploaded documents and processed data on EFS through these access points; a wrong path or missing POSIX user makes mounts fail or files land where nothing reads them.',
  3: 'Uploads go from the browser straight to the bucket: without the PUT CORS rule the browser blocks them, and a bucket name that differs between Data, Insight, UI and Job sends files where the other side never looks.',
  4: 'The OvalEdge UI and Job reach SQS and S3 with the edgi user\'s access key; a detached policy, an inactive key or another user\'s key breaks AskEdgi without any error on the ECS side.',
  5: 'All Edgi tasks run with the task role: it must be assumable by ECS tasks and carry the AskEdgi ECS policy, or the Insight service cannot start data services or register them in Cloud Map.',
  6: 'The Data task definition is the template of every user\'s data service; wrong size, container, variables, logging or storage make each new workspace fail the same way.',
  7: 'The Insight service starts data services from the values in its variables: TASK_DEFINITION, SUBNETS, SECURITY_GROUPS, CLUSTER_NAME, the namespace and the queues must all point at what exists — a stale TASK_DEFINITION is the classic failure after a Data revision.',
  8: 'OvalEdge finds the Insight service only through service discovery (<service>.<namespace>); a service not running its latest revision or without discovery means AskEdgi cannot reach it.',
  9: 'The UI and the Job both talk to Edgi with these variables; a missing or disagreeing value breaks AskEdgi in one of them only, which is hard to see by eye.',
  10: 'The end-to-end proof: the admin can log in, the workspace exists with a project id and a registered data service, uploads land in the bucket, and Settings → AI is complete.',
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
