import type { Finding } from '../model.js';
import { defaultRunContext, type Check } from '../engine/check.js';
import { fail, pass, warn } from '../engine/finding.js';
import { need } from '../resolve/core.js';
import { workspaceRows } from '../resolve/workspace.js';
import { databaseReady, workspaceUser, WORKSPACE_PROBE_CODES } from './support/workspace.js';

const check: Check = {
  id: 'workspace-uptime',
  title: 'The workspace\'s uptime history in edgi_data_service_uptime_history belongs to its current row',
  step: 10,
  severity: 'medium',
  remediation:
    'Uptime rows that point at a stack row that no longer exists are left over from a partial reset (the runbook\'s delete of edgi_data_service_stack without the uptime table). Reset the workspace under guard: askedgi-doctor remediate plan reset-workspace --user <user>.',
  codes: ['orphan-uptime', 'never-started', ...WORKSPACE_PROBE_CODES],
  permissions: [],
  async run(inv, cfg, ctx = defaultRunContext()) {
    const db = databaseReady(inv);
    if (!db.ok) return db.findings;
    const user = workspaceUser(cfg, ctx);
    if (!user.ok) return user.findings;
    const table = cfg.database!.uptimeTable.name;
    const { rows } = await need(inv, cfg, workspaceRows(user.value));
    const users = [...new Set([user.value, ...rows.map((r) => r.user)])];
    const uptime = await inv.uptimeRows(users);
    const stackIds = new Set(rows.map((r) => String(r.pk)));
    const orphans = uptime.filter((u) => u.stackId === null || !stackIds.has(String(u.stackId)));
    const findings: Finding[] = [];
    if (orphans.length > 0) {
      findings.push(
        fail(`${orphans.length} row(s) of ${table} for user ${user.value} point at no existing workspace row.`, {
          code: 'orphan-uptime',
          resource: table,
          expected: `stack ids among ${[...stackIds].join(', ') || 'none'}`,
          found: orphans.map((o) => `row ${o.pk} -> stack ${o.stackId ?? 'NULL'}`).join('; '),
        }),
      );
    }
    for (const r of rows) {
      const own = uptime.filter((u) => String(u.stackId) === String(r.pk));
      findings.push(
        own.length > 0
          ? pass(`Workspace row ${r.pk} has ${own.length} uptime record(s) in ${table}.`, { resource: `${table} (stack ${r.pk})` })
          : warn(`Workspace row ${r.pk} has no uptime record in ${table}: its data service has never started.`, { code: 'never-started', resource: `${table} (stack ${r.pk})`, expected: 'at least one uptime row', found: 'none' }),
      );
    }
    return findings;
  },
};

export default check;
