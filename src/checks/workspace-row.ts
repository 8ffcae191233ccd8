import type { Finding } from '../model.js';
import { defaultRunContext, type Check } from '../engine/check.js';
import { fail, pass, warn } from '../engine/finding.js';
import { databaseReady, workspaceUser } from './support/workspace.js';

const check: Check = {
  id: 'workspace-row',
  title: 'The admin\'s workspace row exists in edgi_data_service_stack with a valid project id',
  step: 10,
  severity: 'critical',
  remediation:
    'Runbook step 10, "If Workspace is Not Created": check the Insight service logs and the task role, then reset the workspace under guard (askedgi-doctor remediate plan reset-workspace --user <user>) and log in again; never run the runbook\'s raw DELETE statements.',
  permissions: [],
  async run(inv, cfg, ctx = defaultRunContext()) {
    const db = databaseReady(inv);
    if (!db.ok) return db.findings;
    const user = workspaceUser(cfg, ctx);
    if (!user.ok) return user.findings;
    const table = cfg.database!.stackTable.name;
    const rows = await inv.workspaceRows(user.value);
    if (rows.length === 0) {
      return [fail(`No row for user ${user.value} in ${table}: the workspace was not created.`, { resource: `${table} (${user.value})`, expected: 'one row with a project id', found: 'no row' })];
    }
    const pattern = new RegExp(cfg.database!.projectIdPattern);
    const findings: Finding[] = rows.map((r) =>
      r.projectId && pattern.test(r.projectId)
        ? pass(`Workspace row ${r.pk} of user ${r.user} in ${table} has project id ${r.projectId}.`, { resource: `${table}#${r.pk}` })
        : fail(`Workspace row ${r.pk} of user ${r.user} in ${table} has no valid project id.`, { resource: `${table}#${r.pk}`, expected: `a project id matching ${pattern.source}`, found: r.projectId ?? 'NULL' }),
    );
    if (rows.length > 1) {
      findings.push(warn(`User ${user.value} has ${rows.length} rows in ${table}; a workspace normally has one.`, { resource: table, expected: '1 row', found: rows.map((r) => String(r.pk)).join(', ') }));
    }
    return findings;
  },
};

export default check;
