// The shared shape of an apply or restore run: what an action gets to work with and what it reports.
import type { RemediateContext } from './context.js';
import type { AuditEntry, AuditOutcome, Backup, Plan, RowSet } from './types.js';

/** What one apply or restore did and did not do, in sentences for the operator. */
export interface StepReport {
  done: string[];
  notDone: string[];
  /** Refused before any change (drift, cap, already applied). */
  refused: boolean;
  /** A change was attempted and did not (fully) happen. */
  failed: boolean;
  refusal?: string;
  details?: string[];
  backupFile?: string;
}

/** The report of a run refused before it changed anything. */
export const NOTHING_DONE: Readonly<StepReport> = Object.freeze({ done: [], notDone: [], refused: false, failed: false });

interface RunBase {
  ctx: RemediateContext;
  auditPath: string;
  /** Bound on waiting for a Cloud Map operation. */
  waitMs: number;
  audit(step: AuditEntry['step'], outcome: AuditOutcome, changes: string[], detail: string, backupFile?: string): void;
  /** Records a refusal (audit line) and marks the report refused. */
  refuse(message: string, details: string[], report: StepReport): StepReport;
}

export interface ApplyRun extends RunBase {
  plan: Plan;
  planFile: string;
  backupDir: string;
  maxRows: number;
  /** Earlier audit entries of this plan (the journal of a partial apply). */
  priorEntries: AuditEntry[];
}

export interface RestoreRun extends RunBase {
  backup: Backup;
  backupFile: string;
}

export const readBackupRows = (b: Backup): RowSet[] => b.rows;
