// Faults of runbook step 10: the AskEdgi workspace (edgi tables + Cloud Map), the Insight log, and the
// OvalEdge app's behaviour (flags in <dir>/app-state.json, read by the running app on every request).
//
// The database part needs the sandbox's database (ctx.database, from <dir>/sandbox-app.json written by
// startSandboxStack). A sandbox without it (plain `sandbox up`, the AWS-only tests) gets the AWS and
// flag parts only, so every fault still applies there.
import { DeregisterInstanceCommand } from '@aws-sdk/client-servicediscovery';
import type { RowDataPacket } from 'mysql2/promise';
import { putLogLines, workspaceCreationErrorLine, writeAppFlags, type AppFlags } from '../app/state.js';
import { dataServiceName } from '../app/workspace.js';
import { connectApp, STACK_TABLE, UPTIME_TABLE } from '../database.js';
import type { Fault, FaultContext } from './support.js';

/** The sandbox's admin, whose workspace provisioning and seeding create. */
const ADMIN = 'admin';

function requireDir(ctx: FaultContext): string {
  if (!ctx.dir) throw new Error('This fault changes the OvalEdge app: it needs the sandbox directory (FaultContext.dir).');
  return ctx.dir;
}

const setFlags = (ctx: FaultContext, patch: Partial<AppFlags>) => writeAppFlags(requireDir(ctx), patch);

/** Deletes a user's rows from both edgi tables by primary key, in one transaction. Returns the number of rows deleted. */
async function deleteWorkspaceRows(ctx: FaultContext, user: string): Promise<number> {
  if (!ctx.database) return 0;
  const conn = await connectApp(ctx.database);
  try {
    await conn.beginTransaction();
    const [stack] = await conn.query<RowDataPacket[]>(`SELECT id FROM ${STACK_TABLE} WHERE user_id = ? FOR UPDATE`, [user]);
    const [uptime] = await conn.query<RowDataPacket[]>(`SELECT id FROM ${UPTIME_TABLE} WHERE user_id = ? FOR UPDATE`, [user]);
    for (const r of uptime) await conn.execute(`DELETE FROM ${UPTIME_TABLE} WHERE id = ?`, [r.id]);
    for (const r of stack) await conn.execute(`DELETE FROM ${STACK_TABLE} WHERE id = ?`, [r.id]);
    await conn.commit();
    return uptime.length + stack.length;
  } catch (err) {
    await conn.rollback().catch(() => undefined);
    throw err;
  } finally {
    await conn.end();
  }
}

/** What a creation that failed half-way leaves behind: a row without a project id. */
async function insertFailedRow(ctx: FaultContext, user: string): Promise<void> {
  if (!ctx.database) return;
  const conn = await connectApp(ctx.database);
  try {
    await conn.execute(`INSERT INTO ${STACK_TABLE} (user_id, user_email, project_id, service_name, status) VALUES (?, ?, NULL, ?, 'FAILED')`, [
      user,
      `${user}@askedgi.local`,
      dataServiceName(user),
    ]);
  } finally {
    await conn.end();
  }
}

/** Removes a user's Data service instance from Cloud Map; an instance that is already gone is fine. */
async function deregisterDataService(ctx: FaultContext, user: string): Promise<void> {
  try {
    await ctx.clients.cloudMap.send(new DeregisterInstanceCommand({ ServiceId: ctx.state.cloudMap.dataServiceId, InstanceId: dataServiceName(user) }));
  } catch (err) {
    if ((err as { name?: string }).name !== 'InstanceNotFound') throw err;
  }
}

/** Realistic Insight service failures; one line carries canary secrets so redaction can be tested. */
export const INSIGHT_ERROR_CANARIES = { password: 'canary-db-password', accessKeyId: 'AKIAIOSFODNN7CANARY1' } as const;

function insightErrorLines(ctx: FaultContext): string[] {
  const ts = () => new Date().toISOString().replace('T', ' ').replace('Z', '');
  const { region, accountId } = ctx.state;
  return [
    `${ts()} ERROR [edgi.db] Failed to connect to MySQL at askedgi-rds.${region}.rds.amazonaws.com:3306: (2003, "Can't connect to MySQL server (timed out)")`,
    [
      `${ts()} ERROR [edgi.workspace] Unhandled exception while starting the data service`,
      'Traceback (most recent call last):',
      '  File "/app/edgi/workspace/manager.py", line 214, in create_stack',
      '    response = self.ecs.create_service(**service_config)',
      '  File "/usr/local/lib/python3.11/site-packages/botocore/client.py", line 1023, in _make_api_call',
      '    raise error_class(parsed_response, operation_name)',
      `botocore.exceptions.ClientError: An error occurred (AccessDeniedException) when calling the RegisterInstance operation: User: arn:aws:sts::${accountId}:assumed-role/AskEdgiEcsTaskRole/task is not authorized to perform: servicediscovery:RegisterInstance`,
    ].join('\n'),
    `${ts()} ERROR [edgi.config] Data service bootstrap failed with settings host=askedgi-rds port=3306 user=edgi password=${INSIGHT_ERROR_CANARIES.password} aws_access_key_id=${INSIGHT_ERROR_CANARIES.accessKeyId}`,
  ];
}

export const WORKSPACE_FAULTS: Fault[] = [
  {
    name: 'workspace-not-created',
    step: 10,
    description:
      "The admin's workspace creation failed half-way: a FAILED row without a project id, no Cloud Map instance, and the Insight service logs AccessDeniedException when it tries again at login.",
    expect: { 'workspace-row': 'fail', 'insight-log-errors': 'fail', 'browser-smoke': 'fail' },
    async apply(ctx) {
      await setFlags(ctx, { workspaceCreationFails: true });
      await deleteWorkspaceRows(ctx, ADMIN);
      await deregisterDataService(ctx, ADMIN);
      await insertFailedRow(ctx, ADMIN);
      const { state } = ctx;
      await putLogLines(ctx.clients.logs, state.logGroups.insight, [
        workspaceCreationErrorLine(ADMIN, { accountId: state.accountId, region: state.region, cluster: state.cluster.name }),
      ]);
    },
  },
  {
    name: 'stale-workspace-row',
    step: 10,
    description: "The admin's row in edgi_data_service_stack exists but its Data service instance is gone from Cloud Map, and a re-login does not register it again.",
    expect: { 'workspace-cloud-map': 'fail', 'browser-smoke': 'fail' },
    async apply(ctx) {
      await setFlags(ctx, { skipCloudMapRegistration: true });
      await deregisterDataService(ctx, ADMIN);
    },
  },
  {
    name: 'upload-rejected',
    step: 10,
    description: 'AskEdgi uploads fail: the storage rejects every file with HTTP 500 and nothing lands in the bucket.',
    expect: { 'browser-smoke': 'fail' },
    async apply(ctx) {
      await setFlags(ctx, { uploadRejected: true });
    },
  },
  {
    name: 'marketplace-missing',
    step: 10,
    description: 'Settings → AI shows no marketplace details.',
    expect: { 'browser-smoke': 'fail' },
    async apply(ctx) {
      await setFlags(ctx, { marketplaceMissing: true });
    },
  },
  {
    name: 'login-sso-redirect',
    step: 10,
    description: 'The login page redirects to an SSO identity provider on another host, so a password login is not possible.',
    // DOMAIN.md: a tenant that redirects to SSO is reported as skip with the reason, not as a failure.
    expect: { 'browser-smoke': 'skip' },
    async apply(ctx) {
      await setFlags(ctx, { ssoRedirect: true });
    },
  },
  {
    name: 'ovaledge-unreachable',
    step: 10,
    description: 'The OvalEdge base URL answers 503 Service Unavailable to every request, as a load balancer whose target group has no healthy targets does.',
    // The browser smoke test needs ovaledge-reachable: it is skipped "because ovaledge-reachable failed".
    expect: { 'ovaledge-reachable': 'fail' },
    async apply(ctx) {
      await setFlags(ctx, { serviceUnavailable: true });
    },
  },
  {
    name: 'insight-log-errors',
    step: 10,
    description: 'The Insight service log group holds recent ERROR lines and a Python traceback, one of them leaking a DB password and an access key id.',
    expect: { 'insight-log-errors': 'fail' },
    async apply(ctx) {
      await putLogLines(ctx.clients.logs, ctx.state.logGroups.insight, insightErrorLines(ctx));
    },
  },
  {
    name: 'data-log-errors',
    step: 10,
    description: "The Data service log group holds recent ERROR lines (the data service cannot reach the bucket).",
    expect: { 'data-log-errors': 'fail' },
    async apply(ctx) {
      const ts = new Date().toISOString().replace('T', ' ').replace('Z', '');
      await putLogLines(ctx.clients.logs, ctx.state.logGroups.data, [
        `${ts} ERROR [edgi.storage] PutObject to s3://${ctx.state.bucket}/askedgi/admin/sales.csv failed: AccessDenied`,
      ]);
    },
  },
  {
    name: 'uptime-orphaned',
    step: 10,
    description: "edgi_data_service_uptime_history holds a row of the admin that points at a stack row that no longer exists (the runbook's partial delete).",
    expect: { 'workspace-uptime': 'fail' },
    async apply(ctx) {
      if (!ctx.database) throw new Error('This fault changes the edgi tables: it needs the sandbox database (start the sandbox with its app).');
      const conn = await connectApp(ctx.database);
      try {
        await conn.execute(`INSERT INTO ${UPTIME_TABLE} (stack_id, user_id, started_at, stopped_at) VALUES (?, ?, NOW(3) - INTERVAL 2 DAY, NOW(3) - INTERVAL 1 DAY)`, [987654, ADMIN]);
      } finally {
        await conn.end();
      }
    },
  },
];
