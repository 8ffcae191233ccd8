// redeploy-latest: update an ECS service to its task definition family's latest ACTIVE revision
// (runbook steps 8–9: "Always deploy the latest task definition revision"), with a forced new deployment.
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { CHECKS } from '../../checks/index.js';
import { revisionOf } from '../../checks/support/ovaledge.js';
import { runChecks } from '../../engine/runner.js';
import { LiveInventory } from '../../inventory/live.js';
import type { CheckResult } from '../../model.js';
import { writeBackup } from '../backup.js';
import { completedSteps } from '../audit.js';
import type { RemediateContext } from '../context.js';
import type { ApplyRun, RestoreRun, StepReport } from '../run.js';
import type { Plan, ServiceKind, ServiceUpdate } from '../types.js';

/** The check that says whether the service runs its latest revision. */
export const RECHECK: Record<ServiceKind, string> = { insight: 'insight-service-running', ui: 'ovaledge-services-latest', job: 'ovaledge-services-latest' };

export async function planRedeployLatest(ctx: RemediateContext, kind: ServiceKind): Promise<{ serviceUpdates: ServiceUpdate[]; notes: string[] }> {
  const { cfg, inventory } = ctx;
  const name = cfg.services[kind];
  const family = cfg.taskDefinitions[kind];
  const service = await inventory.service(cfg.cluster, name);
  if (!service || service.status === 'INACTIVE') return { serviceUpdates: [], notes: [`ECS service ${name} not found in cluster ${cfg.cluster}: nothing to redeploy.`] };
  const latest = await inventory.taskDefinition(family);
  if (!latest) return { serviceUpdates: [], notes: [`Task definition family ${family} has no ACTIVE revision: nothing to deploy.`] };
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  if (service.taskDefinition === latest.arn && (!primary || primary.taskDefinition === latest.arn)) {
    return { serviceUpdates: [], notes: [`ECS service ${name} already runs ${revisionOf(latest.arn)}, the latest ACTIVE revision of ${family}: nothing to do.`] };
  }
  return {
    serviceUpdates: [{ kind, cluster: cfg.cluster, service: name, serviceArn: service.arn, family, from: service.taskDefinition, to: latest.arn }],
    notes: [],
  };
}

/** The revision the service runs now, read through a fresh inventory (not the writer's clients). */
async function currentTaskDefinition(ctx: RemediateContext, u: ServiceUpdate): Promise<string | undefined> {
  const s = await ctx.fresh().service(u.cluster, u.service);
  return s && s.status !== 'INACTIVE' ? s.taskDefinition : undefined;
}

/** Service updates that are not this deployment's: another cluster, service or family than the config names. */
export function foreignServiceUpdates(ctx: RemediateContext, updates: ServiceUpdate[]): string[] {
  const { cfg } = ctx;
  return updates.flatMap((u) => {
    const kind = (Object.keys(cfg.services) as ServiceKind[]).find((k) => k === u.kind);
    const problems: string[] = [];
    if (!kind) problems.push(`service kind ${u.kind} is not insight, ui or job`);
    else {
      if (u.service !== cfg.services[kind]) problems.push(`service ${u.service} is not services.${kind} (${cfg.services[kind]})`);
      if (u.family !== cfg.taskDefinitions[kind]) problems.push(`family ${u.family} is not taskDefinitions.${kind} (${cfg.taskDefinitions[kind]})`);
      for (const arn of [u.from, u.to]) if (!arn.includes(`:task-definition/${cfg.taskDefinitions[kind]}:`)) problems.push(`${arn} is not a revision of ${cfg.taskDefinitions[kind]}`);
    }
    if (u.cluster !== cfg.cluster) problems.push(`cluster ${u.cluster} is not ${cfg.cluster}`);
    return problems.map((p) => `ECS service update ${u.service}: ${p}`);
  });
}

export async function applyRedeployLatest(run: ApplyRun): Promise<StepReport> {
  const { ctx, plan } = run;
  const report: StepReport = { done: [], notDone: [], refused: false, failed: false };
  if (completedSteps(run.priorEntries).has('ecs')) return run.refuse(`This plan was already applied (see ${run.auditPath}); make a new plan to redeploy again.`, [], report);
  const foreign = foreignServiceUpdates(ctx, plan.serviceUpdates);
  if (foreign.length > 0) return run.refuse('Refused: the plan names services this deployment does not configure; nothing was changed.', foreign, report);
  const drift: string[] = [];
  for (const u of plan.serviceUpdates) {
    const now = await currentTaskDefinition(ctx, u);
    if (now !== u.from) drift.push(`ECS service ${u.service} runs ${now ? revisionOf(now) : 'nothing (not found)'}, planned from ${revisionOf(u.from)}`);
    const latest = await ctx.fresh().taskDefinition(u.family);
    if (latest?.arn !== u.to) drift.push(`the latest ACTIVE revision of ${u.family} is ${latest ? revisionOf(latest.arn) : 'none'}, planned ${revisionOf(u.to)}`);
  }
  if (drift.length > 0) return run.refuse('Refused: the live state no longer matches the plan (drift); nothing was changed. Make a new plan.', drift, report);
  const backupFile = writeBackup(run.backupDir, plan, run.planFile, { rows: [], instances: [], serviceUpdates: plan.serviceUpdates });
  report.backupFile = backupFile;
  for (const u of plan.serviceUpdates) {
    const change = `${u.service}: ${revisionOf(u.from)} -> ${revisionOf(u.to)}`;
    try {
      await ctx.writer.ecs.send(new UpdateServiceCommand({ cluster: u.cluster, service: u.service, taskDefinition: u.to, forceNewDeployment: true }));
      report.done.push(`ECS service ${u.service} updated to ${revisionOf(u.to)} (was ${revisionOf(u.from)}), new deployment forced.`);
      run.audit('ecs', 'succeeded', [change], 'UpdateService with forceNewDeployment', backupFile);
    } catch (err) {
      report.failed = true;
      report.notDone.push(`ECS service ${u.service}: NOT updated (${(err as Error).message}); it still runs ${revisionOf(u.from)}.`);
      run.audit('ecs', 'failed', [change], (err as Error).message, backupFile);
    }
  }
  return report;
}

/**
 * After a redeploy: the service's task definition is the planned revision (what UpdateService
 * sets at once), and the check of that service passes. On AWS the new deployment becomes PRIMARY
 * at once and rolls out; moto never moves the PRIMARY deployment (see src/sandbox/provision.ts), so
 * there the check keeps failing on the PRIMARY deployment and the result is exit 4.
 */
export async function verifyRedeploy(ctx: RemediateContext, plan: Plan): Promise<{ ok: boolean; lines: string[]; results: CheckResult[] }> {
  const lines: string[] = [];
  let ok = true;
  for (const u of plan.serviceUpdates) {
    const now = await currentTaskDefinition(ctx, u);
    if (now === u.to) lines.push(`pass: ECS service ${u.service} is set to ${revisionOf(u.to)}.`);
    else {
      ok = false;
      lines.push(`FAIL: ECS service ${u.service} is set to ${now ? revisionOf(now) : 'nothing'}, not ${revisionOf(u.to)}.`);
    }
  }
  const ids = [...new Set(plan.serviceUpdates.map((u) => RECHECK[u.kind]))];
  const checks = CHECKS.filter((c) => ids.includes(c.id));
  const inv = new LiveInventory({ region: ctx.target.region, endpoint: ctx.target.endpoint });
  let results: CheckResult[] = [];
  try {
    results = await runChecks(checks, inv, ctx.cfg, { outDir: 'reports', env: process.env, smokeDisabled: 'not needed after a redeploy' });
  } finally {
    inv.destroy();
  }
  for (const r of results) {
    const bad = r.status === 'fail' || r.status === 'error';
    if (bad) ok = false;
    lines.push(`${bad ? 'FAIL' : r.status}: check ${r.id}${bad ? `: ${r.findings.filter((f) => f.status === 'fail' || f.status === 'error').map((f) => f.message).join(' ')}` : ''}`);
  }
  return { ok, lines, results };
}

/** Restore of a redeploy: the service back to the revision it ran before. */
export async function restoreRedeployLatest(run: RestoreRun): Promise<StepReport> {
  const { ctx, backup } = run;
  const report: StepReport = { done: [], notDone: [], refused: false, failed: false };
  const foreign = foreignServiceUpdates(ctx, backup.serviceUpdates);
  if (foreign.length > 0) return run.refuse('Refused: the backup names services this deployment does not configure; nothing was restored.', foreign, report);
  for (const u of backup.serviceUpdates) {
    const change = `${u.service}: ${revisionOf(u.to)} -> ${revisionOf(u.from)}`;
    try {
      await ctx.writer.ecs.send(new UpdateServiceCommand({ cluster: u.cluster, service: u.service, taskDefinition: u.from, forceNewDeployment: true }));
      report.done.push(`ECS service ${u.service} set back to ${revisionOf(u.from)}, new deployment forced.`);
      run.audit('ecs', 'succeeded', [change], 'UpdateService back to the previous revision');
    } catch (err) {
      report.failed = true;
      report.notDone.push(`ECS service ${u.service}: NOT set back (${(err as Error).message}).`);
      run.audit('ecs', 'failed', [change], (err as Error).message);
    }
  }
  return report;
}
