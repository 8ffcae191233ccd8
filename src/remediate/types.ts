// The files remediation writes: the plan (what would change, sealed by its sha256), the backup
// (exactly what was removed, written and flushed before any change) and the audit log lines.

export const PLAN_SCHEMA_VERSION = 1;
export const BACKUP_SCHEMA_VERSION = 1;

export const ACTIONS = ['reset-workspace', 'redeploy-latest'] as const;
export type ActionName = (typeof ACTIONS)[number];

export const SERVICE_KINDS = ['insight', 'ui', 'job'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** A JSON value as it goes into a plan or backup. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** One database row: column → value. Dates, binary and JSON columns are encoded, see `RowSet.types`. */
export type PlanRow = Record<string, Json>;

/** Rows of one table, each in full (secret-looking columns redacted in plans, kept in backups). */
export interface RowSet {
  table: string;
  primaryKey: string;
  /** Columns whose values are encoded: "date" (ISO 8601, UTC), "binary" (base64), "json" (the parsed value). */
  types: Record<string, 'date' | 'binary' | 'json'>;
  rows: PlanRow[];
}

export interface PlannedInstance {
  namespace: { id: string; name: string };
  service: { id: string; arn: string; name: string };
  id: string;
  attributes: Record<string, string>;
  /** Why the instance belongs to the user: its workspace row names it (exactly), or --all. */
  matchedBy: 'row' | 'all';
}

export interface ServiceUpdate {
  kind: ServiceKind;
  cluster: string;
  service: string;
  serviceArn: string;
  family: string;
  from: string;
  to: string;
}

export interface Target {
  region: string;
  cluster: string;
  endpoint?: string;
}

export interface Caller {
  arn: string;
  account: string;
}

export interface PlanParams {
  user?: string;
  all?: boolean;
  service?: ServiceKind;
  maxRows: number;
}

export interface Plan {
  schemaVersion: number;
  action: ActionName;
  params: PlanParams;
  createdAt: string;
  caller: Caller;
  target: Target;
  /** Stack table first, then uptime history: the order they are shown; deletion removes uptime first. */
  rows: RowSet[];
  instances: PlannedInstance[];
  serviceUpdates: ServiceUpdate[];
  /** What the plan could not look at, or why it is empty. */
  notes: string[];
  /** sha256 (hex) of the canonical JSON of every other field. */
  sha256: string;
}

export interface Backup {
  schemaVersion: number;
  kind: 'askedgi-doctor-backup';
  planSha256: string;
  planFile: string;
  action: ActionName;
  createdAt: string;
  caller: Caller;
  target: Target;
  /** Rows exactly as read under SELECT … FOR UPDATE in the apply transaction, secret-looking columns included. */
  rows: RowSet[];
  instances: PlannedInstance[];
  serviceUpdates: ServiceUpdate[];
  sha256: string;
}

export type AuditOutcome = 'succeeded' | 'failed' | 'refused' | 'skipped' | 'nothing-to-do';

export interface AuditEntry {
  time: string;
  command: 'apply' | 'restore';
  action: ActionName;
  /** database | cloud-map | ecs | guard (a refusal before any change) */
  step: 'database' | 'cloud-map' | 'ecs' | 'guard';
  callerArn: string;
  approver: string;
  planSha256: string;
  planFile?: string;
  backupFile?: string;
  /** What was removed or changed (primary keys, instance ids, from → to); never row contents. */
  changes: string[];
  outcome: AuditOutcome;
  detail: string;
}
