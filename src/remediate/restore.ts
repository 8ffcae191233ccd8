// `remediate restore <backup> --confirm --approved-by …`: puts back what an apply removed or changed.
import { resolve } from 'node:path';
import { EXIT } from '../errors.js';
import { sanitizeTerminal } from '../report/console.js';
import { restoreRedeployLatest } from './actions/redeploy-latest.js';
import { restoreResetWorkspace } from './actions/reset-workspace.js';
import { auditPathOf } from './apply.js';
import { appendAudit, auditEntries } from './audit.js';
import { readBackup, RefusedError } from './backup.js';
import { openContext, targetDifferences, type CommonOptions } from './context.js';
import { tryLock } from './files.js';
import { parseApprover, parseDuration } from './guard.js';
import type { RemediateIo } from './io.js';
import { renderBackup, renderReport } from './render.js';
import { NOTHING_DONE, type RestoreRun, type StepReport } from './run.js';
import type { AuditEntry } from './types.js';

export interface RestoreOptions extends CommonOptions {
  confirm?: boolean;
  approvedBy?: string;
  waitTimeout?: string;
}

export async function restoreCommand(backupArg: string, opts: RestoreOptions, io: RemediateIo): Promise<number> {
  const backupFile = resolve(backupArg);
  let backup;
  try {
    backup = readBackup(backupFile);
  } catch (err) {
    if (err instanceof RefusedError) {
      io.err(sanitizeTerminal(`Refused: ${err.message} Nothing was changed.\n`));
      return EXIT.findings;
    }
    throw err;
  }
  const approver = parseApprover(opts.approvedBy);
  const waitMs = parseDuration(opts.waitTimeout ?? '120s');
  const held = backup.rows.reduce((n, s) => n + s.rows.length, 0) + backup.instances.length + backup.serviceUpdates.length;
  if (held === 0) {
    // Exit 1, not 0: a restore that can restore nothing is not what the operator asked for (they
    // were likely pointed at the wrong file); the backups of the same plan that hold something are named.
    const others = [...new Set(auditEntries(auditPathOf(opts), backup.planSha256).map((e) => e.backupFile).filter((f): f is string => Boolean(f) && resolve(f!) !== backupFile))];
    const hint = others.length > 0 ? ` Other backups of the same plan (from the audit log): ${others.join(', ')}.` : '';
    io.err(sanitizeTerminal(`Nothing to restore: ${backupFile} holds no row, no Cloud Map instance and no service update; nothing was changed.${hint}\n`));
    return EXIT.findings;
  }
  if (!opts.confirm || !approver) {
    io.out(renderBackup(backup, backupFile));
    const missing = [!opts.confirm ? '--confirm' : '', !approver ? '--approved-by "<name> <ticket>"' : ''].filter(Boolean).join(' and ');
    io.err(`Confirmation required: nothing was changed. Re-run with ${missing} (askedgi-doctor never prompts).\n`);
    return EXIT.confirmationRequired;
  }
  const auditPath = auditPathOf(opts);
  const ctx = openContext(opts);
  let release: (() => void) | undefined;
  try {
    const identity = await ctx.inventory.identity();
    const audit = (step: AuditEntry['step'], outcome: AuditEntry['outcome'], changes: string[], detail: string) =>
      appendAudit(auditPath, {
        time: new Date().toISOString(),
        command: 'restore',
        action: backup.action,
        step,
        callerArn: identity.arn,
        approver,
        planSha256: backup.planSha256,
        planFile: backup.planFile,
        backupFile,
        changes,
        outcome,
        detail,
      });
    const refuse = (message: string, details: string[], report: StepReport): StepReport => {
      audit('guard', 'refused', [], [message, ...details].join(' | '));
      return { ...report, refused: true, refusal: message, details };
    };
    const target = targetDifferences(backup.target, ctx.target, backup.caller.account, identity.account);
    if (target.length > 0) {
      io.err(renderReport(refuse('Refused: the backup was taken from another target; nothing was changed.', target, NOTHING_DONE)));
      return EXIT.findings;
    }
    release = tryLock(backupFile, (held) => io.err(renderReport(refuse(`Refused: ${held} Nothing was changed.`, [], NOTHING_DONE))));
    if (!release) return EXIT.findings;
    const run: RestoreRun = { ctx, backup, backupFile, auditPath, waitMs, audit, refuse };
    io.out(`Restoring from ${backupFile}, approved by ${approver}.\n`);
    const report = backup.action === 'reset-workspace' ? await restoreResetWorkspace(run) : await restoreRedeployLatest(run);
    if (report.refused) {
      io.err(renderReport(report));
      return EXIT.findings;
    }
    io.out(renderReport(report));
    io.out(`Audit log: ${auditPath}\n`);
    return report.failed ? EXIT.findings : EXIT.ok;
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
