// What the sandbox's OvalEdge-like app shares with the faults: its fault flags in <dir>/app-state.json
// (read on every request, so `sandbox break` changes a running app), and writing to the Insight log.
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateLogStreamCommand,
  PutLogEventsCommand,
  ResourceAlreadyExistsException,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';

export const APP_STATE_FILE = 'app-state.json';

/** The app's fault flags; all false on a clean sandbox. */
export interface AppFlags {
  /** GET /login redirects to an identity provider on another host. */
  ssoRedirect: boolean;
  /** Creating a workspace at login fails with an ERROR in the Insight log; nothing is created. */
  workspaceCreationFails: boolean;
  /** A user whose stack row exists is not registered in Cloud Map again at login. */
  skipCloudMapRegistration: boolean;
  /** Uploads are refused by storage (HTTP 500, nothing stored). */
  uploadRejected: boolean;
  /**
   * Uploads are answered 201 and nothing is stored (a write lost on the way): a previous run's file
   * stays listed and in the bucket, so only a before/after comparison of the object catches it.
   */
  uploadDiscarded: boolean;
  /** Settings → AI has no Marketplace section. */
  marketplaceMissing: boolean;
  /** Every request under the context path answers 503 Service Unavailable, as a load balancer without healthy targets does. */
  serviceUnavailable: boolean;
}

export const CLEAN_FLAGS: Readonly<AppFlags> = Object.freeze({
  ssoRedirect: false,
  workspaceCreationFails: false,
  skipCloudMapRegistration: false,
  uploadRejected: false,
  uploadDiscarded: false,
  marketplaceMissing: false,
  serviceUnavailable: false,
});

/** The flags in <dir>/app-state.json; a missing file means a clean app. Unknown keys are ignored. */
export async function readAppFlags(dir: string): Promise<AppFlags> {
  let raw: string;
  try {
    raw = await readFile(join(dir, APP_STATE_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ...CLEAN_FLAGS };
    throw err;
  }
  const parsed: unknown = JSON.parse(raw);
  const flags = { ...CLEAN_FLAGS };
  if (parsed && typeof parsed === 'object') {
    for (const key of Object.keys(CLEAN_FLAGS) as (keyof AppFlags)[]) {
      const v = (parsed as Record<string, unknown>)[key];
      if (typeof v === 'boolean') flags[key] = v;
    }
  }
  return flags;
}

/** Merges `patch` into the flags and writes the file atomically (a running app never reads half a file). */
export async function writeAppFlags(dir: string, patch: Partial<AppFlags>): Promise<AppFlags> {
  const flags = { ...(await readAppFlags(dir)), ...patch };
  const path = join(dir, APP_STATE_FILE);
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, `${JSON.stringify(flags, null, 2)}\n`, 'utf8');
  await rename(tmp, path);
  return flags;
}

/** The log stream the sandbox writes the Insight service's lines to (awslogs naming: prefix/container/task). */
export const INSIGHT_LOG_STREAM = 'ecs/oe_edgi_insights_service/0a1b2c3d4e5f60718293a4b5c6d7e8f9';

/** Appends lines (one event each, in order, timestamped now) to a log group, creating the stream when needed. */
export async function putLogLines(logs: CloudWatchLogsClient, logGroupName: string, lines: string[], logStreamName = INSIGHT_LOG_STREAM): Promise<void> {
  if (lines.length === 0) return;
  try {
    await logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName }));
  } catch (err) {
    if (!(err instanceof ResourceAlreadyExistsException) && (err as { name?: string }).name !== 'ResourceAlreadyExistsException') throw err;
  }
  const now = Date.now();
  await logs.send(
    new PutLogEventsCommand({
      logGroupName,
      logStreamName,
      logEvents: lines.map((message, i) => ({ timestamp: now + i, message })),
    }),
  );
}

/** The ERROR line the Insight service logs when it cannot create a user's workspace. */
export function workspaceCreationErrorLine(user: string, where: { accountId: string; region: string; cluster: string }): string {
  const ts = new Date().toISOString().replace('T', ' ').replace('Z', '');
  return (
    `${ts} ERROR [edgi.workspace] workspace creation failed for user ${user}: AccessDeniedException: ` +
    `User: arn:aws:sts::${where.accountId}:assumed-role/AskEdgiEcsTaskRole/oe-edgi-insights-service is not authorized to perform: ` +
    `ecs:CreateService on resource: arn:aws:ecs:${where.region}:${where.accountId}:service/${where.cluster}/edgi-data-service-${user}`
  );
}
