// Step 10: the user's workspace as the database and Cloud Map hold it.
import { error, fail, pass, warn } from '../engine/finding.js';
import type { WorkspaceRow } from '../inventory/db.js';
import type { CloudMapService, Namespace } from '../inventory/types.js';
import type { Finding } from '../model.js';
import { defineResolver, type Resolver } from './core.js';
import { INSIGHT_TASK_DEFINITION } from './deployment.js';
import { envValue, tdName } from './env.js';

const rowsByUser = new Map<string, Resolver<{ rows: WorkspaceRow[]; findings: Finding[] }>>();

/**
 * The user's rows in edgi_data_service_stack, each with a valid project id (runbook step 10: "the
 * workspace … is automatically created with a valid project ID"); root: workspace-row. The caller
 * has made sure the database is configured and a user is known.
 */
/** What workspace-row reports as the root of workspaceRows. */
export const WORKSPACE_ROW_CODES = ['no-row', 'no-project-id', 'several-rows'] as const;

export function workspaceRows(user: string): Resolver<{ rows: WorkspaceRow[]; findings: Finding[] }> {
  let r = rowsByUser.get(user);
  if (r) return r;
  r = defineResolver(`workspace-rows:${user}`, 'workspace-row', async ({ inv, cfg }) => {
    const table = cfg.database!.stackTable.name;
    const rows = await inv.workspaceRows(user);
    if (rows.length === 0) {
      return { ok: false, findings: [fail(`No row for user ${user} in ${table}: the workspace was not created.`, { code: 'no-row', resource: `${table} (${user})`, expected: 'one row with a project id', found: 'no row' })] };
    }
    const pattern = new RegExp(cfg.database!.projectIdPattern);
    const findings: Finding[] = rows.map((row) =>
      row.projectId && pattern.test(row.projectId)
        ? pass(`Workspace row ${row.pk} of user ${row.user} in ${table} has project id ${row.projectId}.`, { resource: `${table}#${row.pk}` })
        : fail(`Workspace row ${row.pk} of user ${row.user} in ${table} has no valid project id.`, { code: 'no-project-id', resource: `${table}#${row.pk}`, expected: `a project id matching ${pattern.source}`, found: row.projectId ?? 'NULL' }),
    );
    if (rows.length > 1) {
      findings.push(warn(`User ${user} has ${rows.length} rows in ${table}; a workspace normally has one.`, { code: 'several-rows', resource: table, expected: '1 row', found: rows.map((x) => String(x.pk)).join(', ') }));
    }
    if (findings.some((f) => f.status === 'fail')) return { ok: false, findings };
    return { ok: true, value: { rows, findings } };
  });
  rowsByUser.set(user, r);
  return r;
}

export interface DataRegistry {
  namespace: Namespace;
  service: CloudMapService;
  /** "<service>.<namespace>", how findings name where data services register. */
  label: string;
}

/**
 * Where the user data services register in Cloud Map: the namespace named by EDGI_WORKSPACE_NAME_SPACE
 * on the Insight task definition, the service named by its EDGI_WORKSPACE_HOST (default: the Data
 * family); root: workspace-cloud-map. Remediation deregisters from the same place.
 */
/** What workspace-cloud-map reports as the root of DATA_REGISTRY. */
export const DATA_REGISTRY_CODES = ['namespace-variable-missing', 'namespace-not-found', 'service-not-found'] as const;

export const DATA_REGISTRY = defineResolver<DataRegistry>('data-registry', 'workspace-cloud-map', async ({ inv, cfg, need }) => {
  const insight = await need(INSIGHT_TASK_DEFINITION);
  const nsName = envValue(insight, 'EDGI_WORKSPACE_NAME_SPACE');
  const host = envValue(insight, 'EDGI_WORKSPACE_HOST') ?? cfg.taskDefinitions.data;
  if (!nsName) return { ok: false, findings: [error(`Task definition ${tdName(insight)} has no EDGI_WORKSPACE_NAME_SPACE; cannot tell where data services register.`, { code: 'namespace-variable-missing', resource: insight.arn })] };
  const namespace = (await inv.namespaces()).find((n) => n.name === nsName);
  if (!namespace) return { ok: false, findings: [fail(`Cloud Map namespace ${nsName} (EDGI_WORKSPACE_NAME_SPACE) not found.`, { code: 'namespace-not-found', resource: nsName, expected: 'an existing namespace', found: 'none' })] };
  const service = (await inv.cloudMapServices(namespace.id)).find((s) => s.name === host);
  if (!service) {
    return { ok: false, findings: [fail(`Cloud Map namespace ${nsName} has no service ${host} (EDGI_WORKSPACE_HOST), so no data service is registered.`, { code: 'service-not-found', resource: namespace.arn, expected: `service ${host}`, found: 'none' })] };
  }
  return { ok: true, value: { namespace, service, label: `${host}.${nsName}` } };
});
