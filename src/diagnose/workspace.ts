// The runbook's "If Workspace is Not Created" path as a decision tree over check results: the
// Insight service and its logs, the task role, the edgi tables and the user's Cloud Map entry.
import { kindOf } from '../engine/finding.js';
import type { CheckResult, Finding } from '../model.js';
import { SMOKE_STEPS, stepCode } from '../smoke/flow.js';

/** The checks the diagnosis reads, in the order an engineer would look. */
export const WORKSPACE_DIAGNOSIS_CHECKS = [
  'insight-task-definition',
  'insight-task-logging',
  'insight-service-network',
  'insight-service-running',
  'insight-service-discovery',
  'task-role-trust',
  'task-role-policy',
  'task-role-shared',
  'workspace-row',
  'workspace-uptime',
  'workspace-cloud-map',
  'insight-log-errors',
  'data-log-errors',
  'browser-smoke',
] as const;

export interface Diagnosis {
  user: string;
  healthy: boolean;
  /** One sentence: what is wrong (or that nothing is). */
  verdict: string;
  /** Non-passing findings that support the verdict, check id first. */
  evidence: string[];
  /** What to do, in the runbook's terms. */
  fix?: string;
  /** The exact command that would fix it, when the fix is a guarded remediation. */
  command?: string;
}

const planCommand = (user: string) => `askedgi-doctor remediate plan reset-workspace --user ${JSON.stringify(user)}`;

export function diagnoseWorkspace(results: readonly CheckResult[], user: string): Diagnosis {
  const by = new Map(results.map((r) => [r.id, r]));
  const status = (id: string) => by.get(id)?.status;
  const bad = (id: string) => status(id) === 'fail' || status(id) === 'error';
  const lines = (id: string, filter: (f: Finding) => boolean = (f) => f.status !== 'pass') =>
    (by.get(id)?.findings ?? []).filter(filter).map((f) => `${id}: ${f.message}${f.found ? `\nfound: ${f.found}` : ''}`);
  const evidenceOf = (...ids: string[]) => ids.flatMap((id) => lines(id));
  const logText = (by.get('insight-log-errors')?.findings ?? []).map((f) => `${f.message}\n${f.found ?? ''}`).join('\n');
  const smokeStep = by.get('browser-smoke')?.findings.find((f) => f.status === 'fail' || f.status === 'error');
  // Decisions key on finding codes (`<check-id>/<kind>`), never on message wording.
  const has = (id: string, kind: string) => (by.get(id)?.findings ?? []).some((f) => f.code === `${id}/${kind}`);

  if (status('workspace-row') === 'skip' && has('workspace-row', 'no-database')) {
    return { user, healthy: false, verdict: `Cannot diagnose the workspace of ${user}: ${by.get('workspace-row')!.findings[0]!.message}`, evidence: [], fix: 'Configure database.url (or database.fromSecret) so the edgi tables can be read.' };
  }
  if (bad('insight-task-definition') || bad('insight-service-network') || bad('insight-service-running')) {
    return {
      user,
      healthy: false,
      verdict: 'The Insight service is not running as the runbook sets it up (steps 7–8), so it cannot create workspaces.',
      evidence: evidenceOf('insight-task-definition', 'insight-service-network', 'insight-service-running'),
      fix: 'Fix the Insight task definition and service first (askedgi-doctor run --only insight-service-running,insight-task-definition shows what), deploy the latest revision, then log in again.',
    };
  }
  if (bad('task-role-trust') || bad('task-role-policy') || bad('task-role-shared')) {
    return {
      user,
      healthy: false,
      verdict: 'The ECS task role cannot be assumed or lacks the AskEdgi ECS policy (step 5), so the Insight service cannot create the data service or register it in Cloud Map.',
      evidence: evidenceOf('task-role-trust', 'task-role-policy', 'task-role-shared', 'insight-log-errors'),
      fix: `Repair the task role (trust ecs-tasks.amazonaws.com, attach the AskEdgi ECS policy, same role on every task definition), then reset the workspace and log in again: ${planCommand(user)}`,
      command: planCommand(user),
    };
  }
  const denied = /AccessDenied|not authorized|UnauthorizedOperation/i.test(logText);
  if (bad('workspace-row')) {
    const noRow = has('workspace-row', 'no-row');
    return {
      user,
      healthy: false,
      verdict: noRow
        ? denied
          ? `The workspace of ${user} was not created: the Insight service log shows an access error, so the task role is missing a permission.`
          : `The workspace of ${user} was not created (no row in edgi_data_service_stack).`
        : denied
          ? `The workspace creation of ${user} failed half-way (a row without a valid project id): the Insight service log shows an access error, so the task role is missing a permission.`
          : `The workspace row of ${user} has no valid project id: its creation failed half-way.`,
      evidence: evidenceOf('workspace-row', 'workspace-cloud-map', 'insight-log-errors'),
      fix: noRow
        ? denied
          ? 'Grant the permission named in the log line to the task role (runbook step 5: validate IAM role permissions), make sure no partial entry remains, then log in again.'
          : 'Check the Insight service logs and the task role (runbook step 10), then log in again; if an entry remains in Cloud Map, reset the workspace first.'
        : denied
          ? 'Grant the permission named in the log line to the task role (runbook step 5), then reset the workspace under guard and log in again.'
          : 'Check the Insight service logs, then reset the workspace under guard and log in again.',
      command: planCommand(user),
    };
  }
  if (bad('workspace-cloud-map')) {
    return {
      user,
      healthy: false,
      verdict: `The workspace row of ${user} is stale: its data service is not registered in Cloud Map, so AskEdgi waits for a workspace that never comes up.`,
      evidence: evidenceOf('workspace-cloud-map', 'workspace-row', 'insight-log-errors'),
      fix: "The runbook's recovery, under guard: delete the user's rows from both edgi tables and the user's Cloud Map entry (plan, review, apply with --confirm and an approver), then log in again.",
      command: planCommand(user),
    };
  }
  if (bad('workspace-uptime')) {
    return {
      user,
      healthy: false,
      verdict: `The uptime history of ${user} points at workspace rows that no longer exist (a partial reset).`,
      evidence: evidenceOf('workspace-uptime'),
      fix: "Reset the workspace under guard so both tables and Cloud Map agree, then log in again.",
      command: planCommand(user),
    };
  }
  if (smokeStep) {
    const kind = smokeStep.code ? kindOf(smokeStep.code) : '';
    const step = SMOKE_STEPS.find((s) => stepCode(s) === kind) ?? kind;
    const fixes: Record<string, string> = {
      upload: 'The workspace is ready but uploads fail: check the bucket and its CORS rule (step 3) and the task role\'s S3 access (step 5), and the upload error shown.',
      'file-listed': 'The upload was accepted but the file is not listed: check the Data service logs.',
      'object-in-bucket': 'The file is listed but not in the bucket: check BUCKET_NAME / EDGI_BUCKET_NAME (step 3) and the Data service logs.',
      'openai-key': 'Add the OpenAI API key provided by the development team under Application Settings → AI → OpenAI (runbook step 10).',
      marketplace: 'Settings → AI shows no marketplace details: ask the development team to configure them (runbook step 10).',
      login: 'The admin login was rejected: check the credentials in the smoke.username/smoke.password environment variables.',
    };
    return {
      user,
      healthy: false,
      verdict: `The workspace of ${user} exists and is registered, but the browser check fails at "${step}".`,
      evidence: lines('browser-smoke', (f) => f.status === 'fail' || f.status === 'error'),
      fix: fixes[kind] ?? by.get('browser-smoke')!.remediation,
    };
  }
  const notes = [...lines('insight-log-errors'), ...lines('data-log-errors'), ...lines('workspace-uptime'), ...lines('browser-smoke', (f) => f.status === 'skip')];
  return {
    user,
    healthy: true,
    verdict: `The workspace of ${user} is healthy: a row with a valid project id in edgi_data_service_stack and its data service registered in Cloud Map.`,
    evidence: notes,
  };
}

export function renderDiagnosis(d: Diagnosis): string {
  const out = [`Workspace of ${d.user}: ${d.healthy ? 'HEALTHY' : 'NOT HEALTHY'}`, '', d.verdict];
  if (d.evidence.length > 0) out.push('', 'Evidence:', ...d.evidence.map((e) => `  - ${e.replace(/\n/g, '\n    ')}`));
  if (d.fix) out.push('', `Fix: ${d.fix}`);
  if (d.command) out.push('', 'Remediation command (plans only; nothing changes until apply --confirm):', `  ${d.command}`);
  return `${out.join('\n')}\n`;
}
