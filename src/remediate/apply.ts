// `remediate apply <plan> --confirm --approved-by "<name> <ticket>"`: the only writer of the product.
// Order: plan sealed (hash) → confirmation → target, age and cap → lock → the action (drift under
// row locks, backup flushed, change) → audit line per step → re-check (0 pass, 4 still failing).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXIT, UsageError } from '../errors.js';
import { applyRedeployLatest, verifyRedeploy } from './actions/redeploy-latest.js';
import { applyResetWorkspace, rowCount, verifyReset } from './actions/reset-workspace.js';
import { appendAudit, auditEntries } from './audit.js';
import { RefusedError } from './backup.js';
import { openContext, targetDifferences, type CommonOptions } from './context.js';
import { tryLock } from './files.js';
import { checkCap, checkStaleness, DEFAULT_MAX_ROWS, formatDuration, parseApprover, parseDuration, parseMaxRows, verifySeal } from './guard.js';
import type { RemediateIo } from './io.js';
import { isEmpty } from './plan.js';
import { renderPlan, renderReport } from './render.js';
import { NOTHING_DONE, type ApplyRun, type StepReport } from './run.js';
import { ACTIONS, PLAN_SCHEMA_VERSION, type AuditEntry, type Plan } from './types.js';
import { sanitizeTerminal } from '../report/console.js';

export interface ApplyOptions extends CommonOptions {
  confirm?: boolean;
  approvedBy?: string;
  maxRows?: string;
  maxAge?: string;
  waitTimeout?: string;
}

export const DEFAULT_MAX_AGE = '1h';

export function auditPathOf(opts: CommonOptions): string {
  return resolve(opts.auditLog ?? join(opts.out, 'audit.jsonl'));
}

export function readPlan(path: string): Plan {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`${path}: not a readable plan file (${(err as Error).message})`);
  }
  const p = raw as Plan;
  if (!p || typeof p !== 'object' || !(ACTIONS as readonly string[]).includes(p.action) || !Array.isArray(p.rows)) throw new UsageError(`${path}: not an askedgi-doctor remediation plan`);
  if (p.schemaVersion !== PLAN_SCHEMA_VERSION) throw new UsageError(`${path}: plan schemaVersion ${String(p.schemaVersion)} is not supported (expected ${PLAN_SCHEMA_VERSION})`);
  return p;
}

export async function applyCommand(planArg: string, opts: ApplyOptions, io: RemediateIo): Promise<number> {
  const planFile = resolve(planArg);
  const plan = readPlan(planFile);
  const sealed = verifySeal(plan);
  if (!sealed.ok) {
    io.err(sanitizeTerminal(`Refused: ${planFile} was modified after it was written, or sealed with another key (recorded seal ${sealed.recorded}, its content seals to ${sealed.actual} with the local seal key). Nothing was changed; make a new plan.\n`));
    return EXIT.findings;
  }
  const approver = parseApprover(opts.approvedBy);
  const maxRows = opts.maxRows !== undefined ? parseMaxRows(opts.maxRows) : DEFAULT_MAX_ROWS;
  const maxAgeMs = parseDuration(opts.maxAge ?? DEFAULT_MAX_AGE);
  const waitMs = parseDuration(opts.waitTimeout ?? '120s');
  if (isEmpty(plan)) {
    io.out(renderPlan(plan, planFile));
    io.out('Nothing to do: the plan changes nothing.\n');
    return EXIT.ok;
  }
  if (!opts.confirm || !approver) {
    io.out(renderPlan(plan, planFile));
    const missing = [!opts.confirm ? '--confirm' : '', !approver ? '--approved-by "<name> <ticket>"' : ''].filter(Boolean).join(' and ');
    io.err(`Confirmation required: nothing was changed. Re-run with ${missing} once the plan above is reviewed and approved (askedgi-doctor never prompts).\n`);
    return EXIT.confirmationRequired;
  }

  const auditPath = auditPathOf(opts);
  const ctx = openContext(opts);
  let release: (() => void) | undefined;
  try {
    const identity = await ctx.inventory.identity();
    const audit = (step: AuditEntry['step'], outcome: AuditEntry['outcome'], changes: string[], detail: string, backupFile?: string) =>
      appendAudit(auditPath, {
        time: new Date().toISOString(),
        command: 'apply',
        action: plan.action,
        step,
        callerArn: identity.arn,
        approver,
        planSha256: plan.sha256,
        planFile,
        ...(backupFile ? { backupFile } : {}),
        changes,
        outcome,
        detail,
      });
    const refuse = (message: string, details: string[], report: StepReport): StepReport => {
      audit('guard', 'refused', [], [message, ...details].join(' | '));
      return { ...report, refused: true, refusal: message, details };
    };
    const guard: string[] = [];
    const target = targetDifferences(plan.target, ctx.target, plan.caller.account, identity.account);
    if (target.length > 0) guard.push(`the plan was made for another target: ${target.join('; ')}`);
    const age = checkStaleness(plan.createdAt, new Date(), maxAgeMs);
    if (!age.ok) guard.push(age.reason);
    const cap = checkCap(rowCount(plan.rows), maxRows);
    if (!cap.ok) guard.push(cap.reason);
    if (guard.length > 0) {
      io.err(renderReport(refuse('Refused: nothing was changed.', guard, NOTHING_DONE)));
      return EXIT.findings;
    }
    release = tryLock(planFile, (held) => io.err(renderReport(refuse(`Refused: ${held} Nothing was changed.`, [], NOTHING_DONE))));
    if (!release) return EXIT.findings;
    const run: ApplyRun = {
      ctx,
      plan,
      planFile,
      auditPath,
      backupDir: resolve(join(opts.out, 'backups')),
      maxRows,
      waitMs,
      priorEntries: auditEntries(auditPath, plan.sha256),
      audit,
      refuse,
    };
    io.out(`Applying ${plan.action} plan ${plan.sha256.slice(0, 12)} (${formatDuration(age.ok ? age.ageMs : 0)} old), approved by ${approver}.\n`);
    const report = plan.action === 'reset-workspace' ? await applyResetWorkspace(run) : await applyRedeployLatest(run);
    if (report.refused) {
      io.err(renderReport(report));
      return EXIT.findings;
    }
    io.out(renderReport(report));
    if (report.failed) {
      io.err(`The apply did not complete; see "NOT done" above. Audit log: ${auditPath}\n`);
      return EXIT.findings;
    }
    io.out(`Audit log: ${auditPath}\nRe-check:\n`);
    const verify = plan.action === 'reset-workspace' ? await verifyReset(ctx, plan) : await verifyRedeploy(ctx, plan);
    io.out(sanitizeTerminal(verify.lines.map((l) => `  ${l}`).join('\n') + '\n'));
    if (!verify.ok) {
      io.err('The change was made but the re-check still fails (exit 4).\n');
      return EXIT.stillFailing;
    }
    return EXIT.ok;
  } catch (err) {
    if (err instanceof RefusedError) {
      io.err(`${err.message}\n`);
      return EXIT.findings;
    }
    throw err;
  } finally {
    release?.();
    ctx.close();
  }
}
