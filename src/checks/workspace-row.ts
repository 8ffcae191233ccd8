import { defaultRunContext, type Check } from '../engine/check.js';
import { resolve } from '../resolve/core.js';
import { workspaceRows, WORKSPACE_ROW_CODES } from '../resolve/workspace.js';
import { databaseReady, workspaceUser, WORKSPACE_PROBE_CODES } from './support/workspace.js';

const check: Check = {
  id: 'workspace-row',
  title: 'The admin\'s workspace row exists in edgi_data_service_stack with a valid project id',
  step: 10,
  severity: 'critical',
  remediation:
    'Runbook step 10, "If Workspace is Not Created": check the Insight service logs and the task role, then reset the workspace under guard (askedgi-doctor remediate plan reset-workspace --user <user>) and log in again; never run the runbook\'s raw DELETE statements.',
  codes: [...WORKSPACE_PROBE_CODES, ...WORKSPACE_ROW_CODES],
  permissions: [],
  async run(inv, cfg, ctx = defaultRunContext()) {
    const db = databaseReady(inv);
    if (!db.ok) return db.findings;
    const user = workspaceUser(cfg, ctx);
    if (!user.ok) return user.findings;
    const r = await resolve(inv, cfg, workspaceRows(user.value));
    return r.ok ? r.value.findings : r.findings;
  },
};

export default check;
