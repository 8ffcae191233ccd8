// reset-workspace: the runbook's "If Workspace is Not Created" recovery, under guard. Removes the
// user's rows from edgi_data_service_stack and edgi_data_service_uptime_history (by primary key, in
// one transaction, after a backup) and the user's data-service instance from Cloud Map.
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { REDACTED } from '../../inventory/redact.js';
import { completedSteps } from '../audit.js';
import { readBackupRows, type ApplyRun, type RestoreRun, type StepReport } from '../run.js';
import { dataRegistry, deregister, diffAttributes, register, userInstances, type DataRegistry } from '../cloud-map.js';
import { countRows, decodeValue, diffRows, encodeRow, openConnection, pkOf, redactRowSet, selectWorkspaceRows, type DbConfig, type Selection } from '../db.js';
import { readBackup, RefusedError, writeBackup } from '../backup.js';
import { checkCap } from '../guard.js';
import type { RemediateContext } from '../context.js';
import type { AuditEntry, Backup, Plan, PlannedInstance, PlanParams, RowSet } from '../types.js';

export interface ResetPlanPart {
  rows: RowSet[];
  instances: PlannedInstance[];
  notes: string[];
}

const selectionOf = (params: PlanParams): Selection => (params.all ? { all: true } : { user: params.user! });

const serviceNamesOf = (db: DbConfig, stack: RowSet | undefined): string[] =>
  (stack?.rows ?? []).map((r) => r[db.stackTable.serviceNameColumn]).filter((v): v is string => typeof v === 'string' && v !== '');

export const rowCount = (rows: RowSet[]) => rows.reduce((n, s) => n + s.rows.length, 0);

/** Reads what a reset would remove. Read-only: a READ ONLY session and the inventory's Cloud Map reads. */
export async function planResetWorkspace(ctx: RemediateContext, params: PlanParams): Promise<ResetPlanPart> {
  const db = ctx.dbConfig();
  const conn = await openConnection(await ctx.dbOptions(), true);
  let stack: RowSet;
  let uptime: RowSet;
  try {
    if (params.all) {
      const n = (await countRows(conn, db.stackTable.name)) + (await countRows(conn, db.uptimeTable.name));
      const cap = checkCap(n, params.maxRows);
      if (!cap.ok) throw new RefusedError(`Refused to plan: ${cap.reason}.`);
    }
    ({ stack, uptime } = await selectWorkspaceRows(conn, db, selectionOf(params), false));
  } finally {
    await conn.end().catch(() => undefined);
  }
  const cap = checkCap(stack.rows.length + uptime.rows.length, params.maxRows);
  if (!cap.ok) throw new RefusedError(`Refused to plan: ${cap.reason}.`);
  const notes: string[] = [];
  let instances: PlannedInstance[] = [];
  const lookup = await dataRegistry(ctx.inventory, ctx.cfg);
  if (!lookup.ok) {
    notes.push(`Cloud Map not searched: ${lookup.reason}.`);
  } else {
    const live = await ctx.inventory.cloudMapInstances(lookup.registry.service.id);
    instances = userInstances(live, serviceNamesOf(db, stack), params.all ? undefined : params.user, lookup.registry);
  }
  if (!params.all && stack.rows.length === 0 && uptime.rows.length === 0 && instances.length === 0) {
    notes.push(`User ${params.user} has no rows in ${db.stackTable.name} or ${db.uptimeTable.name} and no data-service instance in Cloud Map: nothing to do.`);
  }
  return { rows: [stack, uptime], instances, notes };
}

/** What the plan shows and hashes: rows with secret-looking columns redacted (the backup keeps them). */
export function planRows(part: ResetPlanPart): RowSet[] {
  return part.rows.map(redactRowSet);
}

interface CloudMapDrift {
  drift: string[];
  toRemove: PlannedInstance[];
  alreadyAbsent: PlannedInstance[];
}

/**
 * Row sets whose table or primary key is not one of the two configured edgi tables: a plan or backup
 * naming another table is refused (a forged file must not choose what is deleted or inserted).
 */
export function foreignTables(sets: RowSet[], db: DbConfig): string[] {
  const allowed = new Map([
    [db.stackTable.name, db.stackTable.primaryKey],
    [db.uptimeTable.name, db.uptimeTable.primaryKey],
  ]);
  return sets.filter((s) => allowed.get(s.table) !== s.primaryKey).map((s) => `table ${s.table} (primary key ${s.primaryKey}) is not database.stackTable or database.uptimeTable of the config`);
}

/** Instances not in the data services' Cloud Map service of this deployment (read now). */
export function foreignInstances(instances: PlannedInstance[], registry: DataRegistry): string[] {
  return instances
    .filter((i) => i.service.id !== registry.service.id || i.namespace.id !== registry.namespace.id)
    .map((i) => `Cloud Map instance ${i.id} in ${i.service.name}.${i.namespace.name} (${i.service.id}) is not in the data services' registry ${registry.service.name}.${registry.namespace.name} (${registry.service.id})`);
}

/** The backup an earlier apply of this plan wrote when its database step succeeded (it holds the rows). */
export function earlierRowsBackup(entries: AuditEntry[]): string | undefined {
  return [...entries].reverse().find((e) => e.command === 'apply' && e.step === 'database' && e.outcome === 'succeeded' && e.backupFile)?.backupFile;
}

interface CloudMapDrift {
  drift: string[];
  toRemove: PlannedInstance[];
  alreadyAbsent: PlannedInstance[];
}

/**
 * The instances the apply removes, derived from the live state for the plan's action and user: the
 * data services' registry and its instances read now (a fresh inventory), matched exactly against the
 * service names of the user's rows (`serviceNames`, read now). The plan is a request: an instance it
 * names that is not derived so is drift, and so is a derived one it does not name.
 */
async function cloudMapDrift(ctx: RemediateContext, plan: Plan, dbDoneBefore: boolean, serviceNames: string[]): Promise<CloudMapDrift> {
  const drift: string[] = [];
  const toRemove: PlannedInstance[] = [];
  const alreadyAbsent: PlannedInstance[] = [];
  const fresh = ctx.fresh();
  const lookup = await dataRegistry(fresh, ctx.cfg);
  if (!lookup.ok) {
    if (plan.instances.length > 0) drift.push(`Cloud Map: ${lookup.reason}`);
    return { drift, toRemove, alreadyAbsent };
  }
  const registry = lookup.registry;
  drift.push(...foreignInstances(plan.instances, registry));
  const live = await fresh.cloudMapInstances(registry.service.id);
  const liveBy = new Map(live.map((i) => [i.id, i]));
  const derived = userInstances(live, serviceNames, plan.params.all ? undefined : plan.params.user, registry);
  const derivedIds = new Set(derived.map((d) => d.id));
  for (const p of plan.instances.filter((i) => i.service.id === registry.service.id && i.namespace.id === registry.namespace.id)) {
    const l = liveBy.get(p.id);
    if (!l) {
      if (dbDoneBefore) alreadyAbsent.push(p);
      else drift.push(`Cloud Map instance ${p.id} in ${p.service.name}.${p.namespace.name} is gone`);
      continue;
    }
    if (!derivedIds.has(p.id)) {
      drift.push(`Cloud Map instance ${p.id} in ${registry.service.name}.${registry.namespace.name} is not named by ${plan.params.all ? 'any' : `user ${plan.params.user}'s`} workspace row now`);
      continue;
    }
    const diff = diffAttributes(p.attributes, l.attributes);
    if (diff.length > 0) drift.push(`Cloud Map instance ${p.id} attributes changed: ${diff.join('; ')}`);
    else toRemove.push({ ...p, service: registry.service, namespace: registry.namespace, attributes: { ...l.attributes } });
  }
  for (const m of derived) if (!plan.instances.some((p) => p.id === m.id && p.service.id === registry.service.id)) drift.push(`Cloud Map instance ${m.id} in ${registry.service.name}.${registry.namespace.name} is new (not in the plan)`);
  return { drift, toRemove, alreadyAbsent };
}

/**
 * The service names of the user's workspace rows as they are now: read from the database (read only)
 * before the database step; after an earlier apply removed the rows, from that apply's (sealed) backup.
 */
async function serviceNamesNow(ctx: RemediateContext, plan: Plan, db: DbConfig, earlier: Backup | undefined, dbDoneBefore: boolean): Promise<string[]> {
  if (dbDoneBefore) return serviceNamesOf(db, (earlier?.rows ?? plan.rows).find((s) => s.table === db.stackTable.name));
  const conn = await openConnection(await ctx.dbOptions(), true);
  try {
    const now = await selectWorkspaceRows(conn, db, selectionOf(plan.params), false);
    return serviceNamesOf(db, now.stack);
  } finally {
    await conn.end().catch(() => undefined);
  }
}

function readEarlier(file: string | undefined): Backup | undefined {
  if (!file) return undefined;
  try {
    return readBackup(file);
  } catch {
    return undefined;
  }
}

async function rowsExist(conn: Connection, sets: RowSet[]): Promise<{ present: string[]; absent: string[] }> {
  const present: string[] = [];
  const absent: string[] = [];
  for (const set of sets) {
    for (const row of set.rows) {
      const [r] = await conn.query<RowDataPacket[]>('SELECT 1 AS x FROM ?? WHERE ?? = ?', [set.table, set.primaryKey, row[set.primaryKey]]);
      (r.length > 0 ? present : absent).push(`${set.table}#${pkOf(set, row)}`);
    }
  }
  return { present, absent };
}

const rowKeys = (sets: RowSet[]) => sets.flatMap((s) => s.rows.map((r) => `${s.table}#${pkOf(s, r)}`));

/** The apply: drift checks, backup, one transaction of deletes by primary key, then Cloud Map with waits. */
export async function applyResetWorkspace(run: ApplyRun): Promise<StepReport> {
  const { ctx, plan } = run;
  const db = ctx.dbConfig();
  const report: StepReport = { done: [], notDone: [], refused: false, failed: false };
  const plannedRows = plan.rows.filter((s) => s.rows.length > 0);
  const done = completedSteps(run.priorEntries);
  const dbDoneBefore = done.has('database');
  const cmDoneBefore = done.has('cloud-map');
  if ((plannedRows.length === 0 || dbDoneBefore) && (plan.instances.length === 0 || cmDoneBefore) && (dbDoneBefore || cmDoneBefore)) {
    return run.refuse(`This plan was already applied (see ${run.auditPath}); make a new plan to reset again.`, [], report);
  }

  const foreign = foreignTables(plan.rows, db);
  if (foreign.length > 0) return run.refuse('Refused: the plan names tables this action does not touch; nothing was changed.', foreign, report);
  const earlierFile = dbDoneBefore ? earlierRowsBackup(run.priorEntries) : undefined;
  const earlier = readEarlier(earlierFile);
  const cm = await cloudMapDrift(ctx, plan, dbDoneBefore, await serviceNamesNow(ctx, plan, db, earlier, dbDoneBefore));
  let backupFile: string | undefined;

  if (plannedRows.length > 0 && !dbDoneBefore) {
    const options = await ctx.dbOptions();
    const conn = await openConnection(options, false);
    let phase: 'before-delete' | 'deleting' | 'committing' = 'before-delete';
    try {
      await conn.beginTransaction();
      const locked = await selectWorkspaceRows(conn, db, selectionOf(plan.params), true);
      const drift = [
        ...diffRows(plan.rows.find((s) => s.table === db.stackTable.name) ?? { ...locked.stack, rows: [] }, locked.stack),
        ...diffRows(plan.rows.find((s) => s.table === db.uptimeTable.name) ?? { ...locked.uptime, rows: [] }, locked.uptime),
        ...cm.drift,
      ];
      if (drift.length > 0) {
        await conn.rollback();
        return run.refuse('Refused: the live state no longer matches the plan (drift); nothing was changed. Make a new plan.', drift, report);
      }
      const cap = checkCap(locked.stack.rows.length + locked.uptime.rows.length, run.maxRows);
      if (!cap.ok) {
        await conn.rollback();
        return run.refuse(`Refused: ${cap.reason}; nothing was changed.`, [], report);
      }
      backupFile = writeBackup(run.backupDir, plan, run.planFile, { rows: [locked.stack, locked.uptime], instances: [...cm.toRemove, ...cm.alreadyAbsent], serviceUpdates: [] });
      report.backupFile = backupFile;
      phase = 'deleting';
      // Uptime history first, then the stack rows: by primary key, one row per statement.
      for (const set of [locked.uptime, locked.stack]) {
        for (const row of set.rows) {
          const [res] = await conn.query<ResultSetHeader>('DELETE FROM ?? WHERE ?? = ?', [set.table, set.primaryKey, row[set.primaryKey]]);
          if (res.affectedRows !== 1) throw new Error(`DELETE of ${set.table} ${set.primaryKey}=${pkOf(set, row)} affected ${res.affectedRows} rows, expected 1`);
        }
      }
      phase = 'committing';
      await conn.commit();
      const keys = rowKeys([locked.uptime, locked.stack]);
      report.done.push(`Deleted ${keys.length} row(s) by primary key in one transaction: ${keys.join(', ')}.`);
      run.audit('database', 'succeeded', keys, `deleted ${keys.length} row(s) in one transaction`, backupFile);
    } catch (err) {
      if (err instanceof RefusedError) throw err;
      await conn.rollback().catch(() => undefined);
      conn.destroy();
      const message = (err as Error).message;
      const keys = rowKeys(plannedRows);
      // A connection lost during COMMIT is ambiguous: look at the rows to say what really happened.
      let verdict: 'rolled-back' | 'committed' | 'unknown' = phase === 'committing' ? 'unknown' : 'rolled-back';
      let check = '';
      try {
        const c2 = await openConnection(options, true);
        try {
          const seen = await rowsExist(c2, plannedRows);
          if (seen.absent.length === 0) verdict = 'rolled-back';
          else if (seen.present.length === 0) verdict = 'committed';
          else check = ` Rows present now: ${seen.present.join(', ')}; absent: ${seen.absent.join(', ')}.`;
        } finally {
          await c2.end().catch(() => undefined);
        }
      } catch (again) {
        check = ` Could not reconnect to verify (${(again as Error).message}).`;
      }
      if (verdict === 'committed') {
        report.done.push(`Deleted ${keys.length} row(s) (${keys.join(', ')}): the COMMIT reached the server although the connection then failed (${message}).`);
        run.audit('database', 'succeeded', keys, `committed; the connection failed afterwards: ${message}`, backupFile);
      } else {
        report.failed = true;
        const what = verdict === 'rolled-back' ? 'The transaction was rolled back: no row was deleted.' : `Whether the transaction committed is unknown.${check}`;
        report.notDone.push(`Database: ${what} (${message})`, ...(cm.toRemove.length > 0 ? [`Cloud Map: not touched; ${cm.toRemove.map((i) => i.id).join(', ')} still registered.`] : []));
        run.audit('database', 'failed', keys, `${what} ${message}`, backupFile);
        return report;
      }
    } finally {
      conn.destroy();
    }
  } else if (plannedRows.length > 0 && dbDoneBefore) {
    report.done.push(`Database: already done by an earlier apply of this plan (${rowKeys(plannedRows).join(', ')}); the removed rows are in its backup ${earlierFile ?? '(not named in the audit log)'}.`);
  }

  if (cm.drift.length > 0 && (plannedRows.length === 0 || dbDoneBefore)) {
    return run.refuse('Refused: Cloud Map no longer matches the plan (drift); nothing was changed. Make a new plan.', cm.drift, report);
  }
  for (const a of cm.alreadyAbsent) report.done.push(`Cloud Map instance ${a.id}: already deregistered.`);
  if (cm.toRemove.length > 0) {
    // After an earlier apply removed the rows, this backup carries them too (copied from that apply's
    // backup), so that either file restores everything this plan removed.
    backupFile ??= writeBackup(run.backupDir, plan, run.planFile, { rows: earlier?.rows ?? [], instances: cm.toRemove, serviceUpdates: [] });
    report.backupFile = backupFile;
    const removed: string[] = [];
    const failures: string[] = [];
    for (const inst of cm.toRemove) {
      try {
        const r = await deregister(ctx.writer.cloudMap, inst, { timeoutMs: run.waitMs });
        removed.push(inst.id);
        report.done.push(`Cloud Map instance ${inst.id} in ${inst.service.name}.${inst.namespace.name}: ${r === 'removed' ? 'deregistered (operation SUCCESS)' : 'already absent'}.`);
      } catch (err) {
        failures.push(`${inst.id}: ${(err as Error).message}`);
        report.notDone.push(`Cloud Map instance ${inst.id} in ${inst.service.name}.${inst.namespace.name}: NOT deregistered (${(err as Error).message}).`);
      }
    }
    if (failures.length > 0) {
      report.failed = true;
      report.notDone.push(`To complete: re-apply this plan (the database part is recorded as done and is skipped), or restore ${backupFile} to put everything back${earlierFile && earlierFile !== backupFile ? ` (the rows were removed by an earlier apply; its backup ${earlierFile} holds them too)` : ''}.`);
      run.audit('cloud-map', 'failed', cm.toRemove.map((i) => i.id), `deregistered: ${removed.join(', ') || 'none'}; failed: ${failures.join('; ')}`, backupFile);
    } else {
      run.audit('cloud-map', 'succeeded', removed, `deregistered ${removed.length} instance(s)`, backupFile);
    }
  } else if (cm.alreadyAbsent.length > 0) {
    run.audit('cloud-map', 'succeeded', cm.alreadyAbsent.map((i) => i.id), 'already absent', backupFile);
  }
  return report;
}

/** After a reset: no row of the selection in either table, and none of the user's instances in Cloud Map. */
export async function verifyReset(ctx: RemediateContext, plan: Plan): Promise<{ ok: boolean; lines: string[] }> {
  const db = ctx.dbConfig();
  const lines: string[] = [];
  let ok = true;
  const conn = await openConnection(await ctx.dbOptions(), true);
  try {
    const now = await selectWorkspaceRows(conn, db, selectionOf(plan.params), false);
    for (const set of [now.stack, now.uptime]) {
      if (set.rows.length === 0) lines.push(`pass: no ${plan.params.all ? '' : `row of user ${plan.params.user} `}left in ${set.table}.`);
      else {
        ok = false;
        lines.push(`FAIL: ${set.rows.length} row(s) still in ${set.table}: ${set.rows.map((r) => pkOf(set, r)).join(', ')}.`);
      }
    }
  } finally {
    await conn.end().catch(() => undefined);
  }
  const ids = new Set(plan.instances.map((i) => i.id));
  for (const serviceId of new Set(plan.instances.map((i) => i.service.id))) {
    const live = await ctx.fresh().cloudMapInstances(serviceId);
    const left = live.filter((i) => ids.has(i.id));
    if (left.length > 0) {
      ok = false;
      lines.push(`FAIL: Cloud Map instance(s) still registered: ${left.map((i) => i.id).join(', ')}.`);
    }
  }
  if (plan.instances.length > 0 && ok) lines.push(`pass: Cloud Map instance(s) ${[...ids].join(', ')} deregistered.`);
  if (ok) lines.push(plan.params.all ? 'Every user must log in again to recreate their workspace.' : `Log in again as ${plan.params.user} to recreate the workspace.`);
  return { ok, lines };
}

/** Restore: re-insert the rows (one transaction; identical rows already present are kept), then re-register the instances. */
export async function restoreResetWorkspace(run: RestoreRun): Promise<StepReport> {
  const { ctx, backup } = run;
  const report: StepReport = { done: [], notDone: [], refused: false, failed: false };
  // A backup is input too: it may name only the configured tables and the data services' registry.
  const invalid = foreignTables(backup.rows, ctx.dbConfig());
  if (backup.instances.length > 0) {
    const lookup = await dataRegistry(ctx.fresh(), ctx.cfg);
    if (!lookup.ok) invalid.push(`Cloud Map: ${lookup.reason}`);
    else invalid.push(...foreignInstances(backup.instances, lookup.registry));
  }
  if (invalid.length > 0) return run.refuse('Refused: the backup names what this action does not touch; nothing was restored.', invalid, report);
  const sets = readBackupRows(backup).filter((s) => s.rows.length > 0);
  if (sets.length > 0) {
    const options = await ctx.dbOptions();
    const conn = await openConnection(options, false);
    const inserted: string[] = [];
    const kept: string[] = [];
    try {
      await conn.beginTransaction();
      const conflicts: string[] = [];
      // Stack rows first (the uptime history refers to them).
      for (const set of sets) {
        for (const row of set.rows) {
          const [found] = await conn.query<RowDataPacket[]>('SELECT * FROM ?? WHERE ?? = ? FOR UPDATE', [set.table, set.primaryKey, row[set.primaryKey]]);
          if (found.length > 0) {
            const types = {};
            const now = encodeRow(found[0]!, types);
            const diff = diffRows({ ...set, rows: [row] }, { ...set, types, rows: [now] });
            if (diff.length === 0) kept.push(`${set.table}#${pkOf(set, row)}`);
            else conflicts.push(...diff.map((d) => `${d} (a different row holds this primary key now)`));
            continue;
          }
          const cols = Object.keys(row);
          const values = cols.map((c) => decodeValue(row[c]!, set.types[c]));
          await conn.query('INSERT INTO ?? (??) VALUES (?)', [set.table, cols, values]);
          inserted.push(`${set.table}#${pkOf(set, row)}`);
        }
      }
      if (conflicts.length > 0) {
        await conn.rollback();
        return run.refuse('Refused: rows with the same primary keys exist with other content; nothing was restored.', conflicts, report);
      }
      await conn.commit();
      report.done.push(`Re-inserted ${inserted.length} row(s) in one transaction${inserted.length ? `: ${inserted.join(', ')}` : ''}${kept.length ? `; already present and identical: ${kept.join(', ')}` : ''}.`);
      run.audit('database', 'succeeded', inserted, `re-inserted ${inserted.length} row(s); ${kept.length} already present`);
    } catch (err) {
      if (err instanceof RefusedError) throw err;
      await conn.rollback().catch(() => undefined);
      report.failed = true;
      report.notDone.push(`Database: the restore transaction failed and was rolled back; no row was re-inserted (${(err as Error).message}). Run the restore again.`);
      run.audit('database', 'failed', [], (err as Error).message);
      return report;
    } finally {
      conn.destroy();
    }
  }
  if (backup.instances.length > 0) {
    const registered: string[] = [];
    const failures: string[] = [];
    for (const serviceId of new Set(backup.instances.map((i) => i.service.id))) {
      const live = new Map((await ctx.fresh().cloudMapInstances(serviceId)).map((i) => [i.id, i]));
      for (const inst of backup.instances.filter((i) => i.service.id === serviceId)) {
        const l = live.get(inst.id);
        if (l && diffAttributes(inst.attributes, l.attributes).length === 0) {
          report.done.push(`Cloud Map instance ${inst.id}: already registered with the same attributes.`);
          continue;
        }
        if (l) {
          // Registered again since the backup (a new workspace after a re-login): its current address wins.
          failures.push(`${inst.id}: registered now with other attributes`);
          report.notDone.push(`Cloud Map instance ${inst.id}: left as it is, registered now with other attributes (${diffAttributes(inst.attributes, l.attributes).join('; ')}); deregister it first if the backup's attributes must come back.`);
          continue;
        }
        try {
          await register(ctx.writer.cloudMap, inst, { timeoutMs: run.waitMs });
          registered.push(inst.id);
          report.done.push(`Cloud Map instance ${inst.id} in ${inst.service.name}.${inst.namespace.name}: registered again (operation SUCCESS).`);
        } catch (err) {
          failures.push(`${inst.id}: ${(err as Error).message}`);
          report.notDone.push(`Cloud Map instance ${inst.id}: NOT registered (${(err as Error).message}); run the restore again.`);
        }
      }
    }
    report.failed ||= failures.length > 0;
    run.audit('cloud-map', failures.length > 0 ? 'failed' : 'succeeded', registered, failures.length > 0 ? `failed: ${failures.join('; ')}` : `registered ${registered.length} instance(s)`);
  }
  return report;
}

export const REDACTED_NOTE = `Columns whose names look secret (KEY, SECRET, PASSWORD, TOKEN, CREDENTIAL) are shown as ${REDACTED} in plans and output; the backup keeps their values for an exact restore.`;
