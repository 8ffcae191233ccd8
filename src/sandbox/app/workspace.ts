// The user's AskEdgi workspace as the sandbox app sees it: a row in edgi_data_service_stack (with a
// project id) plus the user's Data service instance in Cloud Map. Created at the first admin login,
// like the real system (the Insight service starts a Data service per user and ECS registers it).
import { GetInstanceCommand, RegisterInstanceCommand } from '@aws-sdk/client-servicediscovery';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { AwsClients } from '../../aws/clients.js';
import { SANDBOX_NAMES, type SandboxState } from '../provision.js';
import { seedWorkspace, STACK_TABLE } from '../database.js';
import { putLogLines, workspaceCreationErrorLine, type AppFlags } from './state.js';

/** The Cloud Map instance id (and ECS service name) of a user's Data service. */
export const dataServiceName = (user: string): string => `${SANDBOX_NAMES.families.data}-${user}`;

export interface WorkspaceStatus {
  ready: boolean;
  /** The project id of the user's stack row, when there is one with a non-empty project id. */
  projectId?: string;
  registered: boolean;
}

export interface WorkspaceDeps {
  pool: Pool;
  clients: AwsClients;
  state: SandboxState;
}

async function stackProjectId(pool: Pool, user: string): Promise<{ exists: boolean; projectId?: string }> {
  const [rows] = await pool.query<RowDataPacket[]>(`SELECT id, project_id FROM ${STACK_TABLE} WHERE user_id = ? ORDER BY id DESC`, [user]);
  const withProject = rows.find((r) => typeof r.project_id === 'string' && r.project_id.trim() !== '');
  return { exists: rows.length > 0, projectId: withProject ? String(withProject.project_id) : undefined };
}

async function isRegistered(deps: WorkspaceDeps, user: string): Promise<boolean> {
  try {
    await deps.clients.cloudMap.send(new GetInstanceCommand({ ServiceId: deps.state.cloudMap.dataServiceId, InstanceId: dataServiceName(user) }));
    return true;
  } catch (err) {
    if ((err as { name?: string }).name === 'InstanceNotFound') return false;
    throw err;
  }
}

/** Ready = a stack row with a non-empty project id AND the Data service instance registered in Cloud Map. */
export async function workspaceStatus(deps: WorkspaceDeps, user: string): Promise<WorkspaceStatus> {
  const [row, registered] = await Promise.all([stackProjectId(deps.pool, user), isRegistered(deps, user)]);
  return { ready: row.projectId !== undefined && registered, projectId: row.projectId, registered };
}

/** Registers the user's Data service instance with the attributes ECS gives service-discovery instances. */
export async function registerDataService(deps: WorkspaceDeps, user: string): Promise<void> {
  const { state } = deps;
  await deps.clients.cloudMap.send(
    new RegisterInstanceCommand({
      ServiceId: state.cloudMap.dataServiceId,
      InstanceId: dataServiceName(user),
      Attributes: {
        AWS_INSTANCE_IPV4: '10.20.1.50',
        AWS_INSTANCE_PORT: '8000',
        AVAILABILITY_ZONE: state.subnets.availabilityZones[0],
        REGION: state.region,
        ECS_CLUSTER_NAME: state.cluster.name,
        ECS_SERVICE_NAME: dataServiceName(user),
        ECS_TASK_DEFINITION_FAMILY: SANDBOX_NAMES.families.data,
      },
    }),
  );
}

export type LoginWorkspaceOutcome = 'exists' | 'created' | 'reregistered' | 'failed';

async function logCreationFailure(deps: WorkspaceDeps, user: string): Promise<void> {
  const { state } = deps;
  await putLogLines(deps.clients.logs, state.logGroups.insight, [
    workspaceCreationErrorLine(user, { accountId: state.accountId, region: state.region, cluster: state.cluster.name }),
  ]);
}

/**
 * What the real system does for a user who logs in:
 * - no stack row: create the workspace (stack + uptime rows with a project id, then register the
 *   Data service in Cloud Map after `registerDelayMs`, as ECS does once the task runs) — unless the
 *   flag workspaceCreationFails is set: then an ERROR goes to the Insight log and nothing is created;
 * - a stack row without a project id (a failed creation): nothing, until the rows are reset;
 * - a stack row but no Cloud Map instance: the Data service is registered again, unless the flag
 *   skipCloudMapRegistration is set (a stale row stays stale);
 * - otherwise nothing.
 * `schedule` runs the delayed registration (the app tracks it so stop() can wait for it).
 */
export async function onLogin(
  deps: WorkspaceDeps,
  who: { user: string; email?: string },
  flags: AppFlags,
  schedule: (task: () => Promise<void>) => void,
): Promise<LoginWorkspaceOutcome> {
  const row = await stackProjectId(deps.pool, who.user);
  // A row without a project id is a creation that failed half-way: the workspace stays stuck until
  // its rows are reset (the runbook's recovery), and nothing is registered for it.
  if (row.exists && !row.projectId) {
    if (flags.workspaceCreationFails) await logCreationFailure(deps, who.user);
    return 'failed';
  }
  if (!row.exists) {
    if (flags.workspaceCreationFails) {
      await logCreationFailure(deps, who.user);
      return 'failed';
    }
    const conn = await deps.pool.getConnection();
    try {
      await seedWorkspace(conn, {
        user: who.user,
        email: who.email,
        serviceName: dataServiceName(who.user),
        taskDefinitionArn: deps.state.taskDefinitions.data[deps.state.taskDefinitions.data.length - 1],
      });
    } finally {
      conn.release();
    }
    schedule(() => registerDataService(deps, who.user));
    return 'created';
  }
  if (flags.skipCloudMapRegistration || (await isRegistered(deps, who.user))) return 'exists';
  schedule(() => registerDataService(deps, who.user));
  return 'reregistered';
}
