// The OvalEdge side of the sandbox (runbook step 10) against real moto and a real MariaDB: the app's UI
// contract driven with plain fetch (cookie jar by hand), the edgi tables, and each workspace fault.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { GetInstanceCommand } from '@aws-sdk/client-servicediscovery';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { destroyClients, makeClients, type AwsClients } from '../../src/aws/clients.js';
import { configSchema } from '../../src/config/schema.js';
import { CLEAN_FLAGS, writeAppFlags } from '../../src/sandbox/app/state.js';
import { connectApp } from '../../src/sandbox/database.js';
import { ensureEmulatorCredentials } from '../../src/sandbox/emulator.js';
import { breakSandbox, findFault } from '../../src/sandbox/faults/index.js';
import { INSIGHT_ERROR_CANARIES } from '../../src/sandbox/faults/workspace.js';
import { startSandboxStack, type SandboxStack } from '../../src/sandbox/stack.js';
import { endpoint as motoEndpoint } from '../support/live.js';

const endpoint = motoEndpoint();
const region = 'us-east-1';
const OPENAI_KEY = 'sk-test-canary-0123456789abcdef';

let dir: string;
let stack: SandboxStack;
let clients: AwsClients;
/** Every page and API body the app sent, to prove no secret was ever rendered. */
const seen: string[] = [];

/** A browser in miniature: one cookie jar, no automatic redirects. */
class Browser {
  private jar = new Map<string, string>();

  async request(path: string, init: RequestInit = {}): Promise<{ status: number; location: string | null; body: string; headers: Headers }> {
    const url = path.startsWith('http') ? path : `${stack.baseUrl}${path}`;
    const headers = new Headers(init.headers);
    if (this.jar.size > 0) headers.set('cookie', [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (value === '' || /max-age=0/i.test(c)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    const body = await res.text();
    seen.push(body);
    return { status: res.status, location: res.headers.get('location'), body, headers: res.headers };
  }

  login(username: string, password: string) {
    return this.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
    });
  }

  upload(name: string, content: string) {
    return this.request(`/api/askedgi/files/${encodeURIComponent(name)}`, { method: 'PUT', headers: { 'content-type': 'text/csv' }, body: content });
  }
}

const adminPassword = () => stack.env.ASKEDGI_ADMIN_PASSWORD!;

async function loggedIn(): Promise<Browser> {
  const b = new Browser();
  const res = await b.login('admin', adminPassword());
  expect(res.status).toBe(302);
  expect(res.location).toBe('/ovaledge/home');
  return b;
}

async function rows(table: string, user = 'admin'): Promise<RowDataPacket[]> {
  const conn = await connectApp(stack.database);
  try {
    const [r] = await conn.query<RowDataPacket[]>(`SELECT * FROM ${table} WHERE user_id = ?`, [user]);
    return r;
  } finally {
    await conn.end();
  }
}

async function instanceRegistered(): Promise<boolean> {
  try {
    await clients.cloudMap.send(new GetInstanceCommand({ ServiceId: stack.state.cloudMap.dataServiceId, InstanceId: 'edgi-data-service-admin' }));
    return true;
  } catch (err) {
    if ((err as Error).name === 'InstanceNotFound') return false;
    throw err;
  }
}

async function objectExists(key: string): Promise<boolean> {
  try {
    await clients.s3.send(new HeadObjectCommand({ Bucket: stack.state.bucket, Key: key }));
    return true;
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw err;
  }
}

async function insightLog(): Promise<string[]> {
  const out = await clients.logs.send(new FilterLogEventsCommand({ logGroupName: stack.state.logGroups.insight }));
  return (out.events ?? []).map((e) => e.message ?? '');
}

const breakIt = (name: string) => breakSandbox(name, { endpoint, outDir: dir });
const cleanFlags = () => writeAppFlags(dir, { ...CLEAN_FLAGS });

async function waitFor(what: string, cond: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  ensureEmulatorCredentials();
  clients = makeClients({ region, endpoint });
  dir = await mkdtemp(join(tmpdir(), 'askedgi-sandbox-app-'));
  stack = await startSandboxStack({ endpoint, region, dir });
});

afterAll(async () => {
  await stack?.stop();
  destroyClients(clients);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('sandbox stack', () => {
  it('writes a config with database, workspace and smoke sections, and private secret files', async () => {
    const config = configSchema.parse(parse(await readFile(stack.configPath, 'utf8')));
    expect(config.database?.url).toBe('env:ASKEDGI_DB_URL');
    expect(config.workspace.user).toBe('admin');
    expect(config.smoke).toMatchObject({ baseUrl: stack.baseUrl, username: 'env:ASKEDGI_ADMIN_USER', password: 'env:ASKEDGI_ADMIN_PASSWORD' });
    expect(stack.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ovaledge$/);
    expect(stack.env.ASKEDGI_DB_URL).toMatch(/^mysql:\/\/edgi:[^@]+@127\.0\.0\.1:\d+\/ovaledgedb$/);
    const configText = await readFile(stack.configPath, 'utf8');
    expect(configText).not.toContain(adminPassword());
    expect(configText).not.toContain(stack.database.password);
    for (const f of ['sandbox-app.json', 'admin.env']) expect((await stat(join(dir, f))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, 'admin.env'), 'utf8')).toContain(`export ASKEDGI_ADMIN_PASSWORD='${adminPassword()}'`);
    const secret = await clients.secrets.send(new GetSecretValueCommand({ SecretId: stack.state.secrets.db.name }));
    expect(JSON.parse(secret.SecretString ?? '{}')).toEqual({
      host: '127.0.0.1',
      port: stack.database.port,
      username: 'edgi',
      password: stack.database.password,
      dbname: 'ovaledgedb',
    });
  });

  it('seeds the admin workspace: a stack row with a project id, an uptime row, the Cloud Map instance', async () => {
    const [stackRow] = await rows('edgi_data_service_stack');
    expect(stackRow).toMatchObject({ user_id: 'admin', user_email: 'admin@askedgi.local', service_name: 'edgi-data-service-admin', status: 'RUNNING' });
    expect(stackRow!.project_id).toMatch(/^prj-[0-9a-f]{12}$/);
    expect(stackRow!.task_definition_arn).toBe(stack.state.taskDefinitions.data.at(-1));
    const uptime = await rows('edgi_data_service_uptime_history');
    expect(uptime).toHaveLength(1);
    expect(uptime[0]!.stack_id).toBe(stackRow!.id);
    expect(await instanceRegistered()).toBe(true);
  });
});

describe('OvalEdge app', () => {
  it('redirects to the login page and rejects a wrong password', async () => {
    const b = new Browser();
    expect(await b.request('/')).toMatchObject({ status: 302, location: '/ovaledge/login' });
    expect(await b.request('/home')).toMatchObject({ status: 302, location: '/ovaledge/login' });
    const page = await b.request('/login');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<label for="username">User ID</label><input id="username" name="username" autocomplete="username"');
    expect(page.body).toContain('<label for="password">Password</label><input id="password" name="password" type="password"');
    expect(page.body).toContain('<button type="submit">Sign in</button>');
    const bad = await b.login('admin', 'wrong-password');
    expect(bad.status).toBe(401);
    expect(bad.body).toContain('<p role="alert">Invalid user ID or password.</p>');
    expect((await b.request('/home')).status).toBe(302);
  });

  it('logs the admin in with a HttpOnly SameSite=Lax session cookie, shows the nav and logs out', async () => {
    const b = new Browser();
    const res = await b.login('admin', adminPassword());
    expect(res.status).toBe(302);
    expect(res.location).toBe('/ovaledge/home');
    const cookie = res.headers.getSetCookie()[0] ?? '';
    expect(cookie).toMatch(/^OESESSIONID=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const home = await b.request('/home');
    expect(home.status).toBe(200);
    expect(home.body).toContain('<a href="/ovaledge/askedgi">AskEdgi</a>');
    expect(home.body).toContain('<a href="/ovaledge/settings">Settings</a>');
    expect(home.body).toContain('Log out</button>');
    expect(await b.request('/logout', { method: 'POST' })).toMatchObject({ status: 302, location: '/ovaledge/login' });
    expect((await b.request('/home')).status).toBe(302);
  });

  it('shows the workspace ready, uploads a CSV into the bucket and lists it', async () => {
    const b = await loggedIn();
    const [row] = await rows('edgi_data_service_stack');
    const page = await b.request('/askedgi');
    expect(page.body).toContain('<h1>AskEdgi</h1>');
    expect(page.body).toContain(`<p role="status" id="workspace-status">Workspace ready (project ${String(row!.project_id)})</p>`);
    expect(page.body).toMatch(/<button type="button" id="files-button">Files<\/button>/);
    expect(page.body).toContain('<dialog id="files-dialog" aria-label="Files">');
    expect(page.body).toContain('<label for="upload">Browse to Upload</label><input id="upload" type="file" accept=".csv,.pqt,.xlsx,.json">');
    expect(JSON.parse((await b.request('/api/askedgi/workspace')).body)).toEqual({ status: 'ready', projectId: row!.project_id });

    const up = await b.upload('sales <2025>.csv', 'region,amount\nemea,10\n');
    expect(up.status).toBe(201);
    expect(await objectExists('askedgi/admin/sales <2025>.csv')).toBe(true);
    expect(JSON.parse((await b.request('/api/askedgi/files')).body)).toEqual({ files: ['sales <2025>.csv'] });
    const listed = await b.request('/askedgi');
    expect(listed.body).toContain('<ul aria-label="Workspace data" id="workspace-data"><li>sales &#60;2025&#62;.csv</li></ul>');

    expect((await b.upload('notes.txt', 'x')).status).toBe(415);
    expect((await b.upload('../other/x.csv', 'x')).status).toBe(400);
    expect((await new Browser().upload('anon.csv', 'a\n1\n')).status).toBe(401);
  });

  it('shows the OpenAI key configured, saves a new one without rendering it, and shows the marketplace', async () => {
    const b = await loggedIn();
    const settings = await b.request('/settings');
    expect(settings.body).toContain('<a href="/ovaledge/settings/ai">AI</a>');
    const ai = await b.request('/settings/ai');
    expect(ai.body).toContain('<h1>AI</h1>');
    expect(ai.body).toContain('<section aria-label="OpenAI"><h2>OpenAI</h2>\n<p id="openai-key-state">API key: Configured</p>');
    expect(ai.body).toContain('<label for="openai-key">API Key</label><input id="openai-key" name="apiKey" type="password"');
    expect(ai.body).toContain('<section aria-label="Marketplace"><h2>Marketplace</h2><dl>');
    expect(ai.body).toContain(`<dd>${region}</dd>`);
    const save = await b.request('/settings/ai/openai', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ apiKey: OPENAI_KEY }).toString(),
    });
    expect(save).toMatchObject({ status: 302, location: '/ovaledge/settings/ai?saved=1' });
    expect((await b.request('/settings/ai?saved=1')).body).toContain('API key: Configured');
  });
});

describe('workspace faults', () => {
  it('upload-rejected: the upload answers 500 and nothing is stored', async () => {
    await breakIt('upload-rejected');
    const b = await loggedIn();
    const res = await b.upload('rejected.csv', 'a,b\n1,2\n');
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body)).toEqual({ error: 'Upload failed: storage rejected the file' });
    expect(await objectExists('askedgi/admin/rejected.csv')).toBe(false);
    await cleanFlags();
    expect((await b.upload('accepted.csv', 'a\n1\n')).status).toBe(201);
  });

  it('marketplace-missing: Settings → AI has no Marketplace section', async () => {
    await breakIt('marketplace-missing');
    const b = await loggedIn();
    const ai = await b.request('/settings/ai');
    expect(ai.body).toContain('API key: Configured');
    expect(ai.body).not.toContain('Marketplace');
    await cleanFlags();
  });

  it('login-sso-redirect: the login page redirects to an identity provider on another host', async () => {
    await breakIt('login-sso-redirect');
    const b = new Browser();
    const res = await b.request('/login');
    expect(res.status).toBe(302);
    const location = new URL(res.location ?? '');
    expect(location.hostname).toBe('localhost');
    expect(location.pathname).toBe('/sso/authorize');
    expect(location.searchParams.get('client_id')).toBe('ovaledge');
    const idp = await b.request(`http://127.0.0.1:${location.port}/sso/authorize?client_id=ovaledge`);
    expect(idp.body).toContain('Sign in with your identity provider');
    await cleanFlags();
  });

  it('insight-log-errors: ERROR lines and a traceback land in the Insight log group, one with canary secrets', async () => {
    await breakIt('insight-log-errors');
    const lines = await insightLog();
    expect(lines.some((l) => l.includes('Traceback (most recent call last):'))).toBe(true);
    expect(lines.filter((l) => l.includes(' ERROR ')).length).toBeGreaterThanOrEqual(3);
    expect(lines.some((l) => l.includes(INSIGHT_ERROR_CANARIES.password) && l.includes(INSIGHT_ERROR_CANARIES.accessKeyId))).toBe(true);
  });

  it('stale-workspace-row: the row stays, the instance is gone and a re-login does not register it', async () => {
    await breakIt('stale-workspace-row');
    expect(await rows('edgi_data_service_stack')).toHaveLength(1);
    expect(await instanceRegistered()).toBe(false);
    const b = await loggedIn();
    await new Promise((r) => setTimeout(r, 1_500)); // longer than the app's registration delay
    expect(await instanceRegistered()).toBe(false);
    expect(JSON.parse((await b.request('/api/askedgi/workspace')).body)).toEqual({ status: 'initializing' });
    const page = await b.request('/askedgi');
    expect(page.body).toContain('Initializing workspace…');
    expect(page.body).toContain('<button type="button" id="files-button" disabled>Files</button>');
    expect((await b.upload('early.csv', 'a\n1\n')).status).toBe(409);
  });

  it('workspace-not-created: a FAILED row without project id, no instance; a login creates nothing and logs the error', async () => {
    await breakIt('workspace-not-created');
    const failed = await rows('edgi_data_service_stack');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ project_id: null, status: 'FAILED', service_name: 'edgi-data-service-admin' });
    expect(await rows('edgi_data_service_uptime_history')).toHaveLength(0);
    expect(await instanceRegistered()).toBe(false);
    const before = (await insightLog()).filter((l) => l.includes('ERROR [edgi.workspace] workspace creation failed for user admin: AccessDeniedException')).length;
    expect(before).toBeGreaterThanOrEqual(1);

    const b = await loggedIn();
    await new Promise((r) => setTimeout(r, 1_500)); // longer than the app's registration delay
    expect(await rows('edgi_data_service_stack')).toEqual(failed);
    expect(await rows('edgi_data_service_uptime_history')).toHaveLength(0);
    expect(await instanceRegistered()).toBe(false);
    expect(JSON.parse((await b.request('/api/askedgi/workspace')).body)).toEqual({ status: 'initializing' });
    const after = (await insightLog()).filter((l) => l.includes('workspace creation failed for user admin')).length;
    expect(after).toBe(before + 1);
  });

  it('with the cause fixed, the FAILED row keeps the workspace stuck until it is reset', async () => {
    await cleanFlags();
    await loggedIn();
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await instanceRegistered()).toBe(false);
    expect((await rows('edgi_data_service_stack'))[0]).toMatchObject({ project_id: null, status: 'FAILED' });
  });

  it('once the cause is fixed and the rows are reset, a re-login creates the workspace like the real system (rows, then Cloud Map)', async () => {
    // The reset itself is remediate's job (tested in remediate.test.ts); here the row goes by primary key.
    const conn = await connectApp(stack.database);
    try {
      for (const r of await rows('edgi_data_service_stack')) await conn.execute('DELETE FROM edgi_data_service_stack WHERE id = ?', [r.id]);
    } finally {
      await conn.end();
    }
    const b = await loggedIn();
    const [row] = await rows('edgi_data_service_stack');
    expect(row!.project_id).toMatch(/^prj-[0-9a-f]{12}$/);
    expect(await rows('edgi_data_service_uptime_history')).toHaveLength(1);
    await waitFor('the Data service instance in Cloud Map', instanceRegistered);
    const out = await clients.cloudMap.send(new GetInstanceCommand({ ServiceId: stack.state.cloudMap.dataServiceId, InstanceId: 'edgi-data-service-admin' }));
    expect(out.Instance?.Attributes).toMatchObject({
      AWS_INSTANCE_PORT: '8000',
      ECS_SERVICE_NAME: 'edgi-data-service-admin',
      ECS_CLUSTER_NAME: stack.state.cluster.name,
      ECS_TASK_DEFINITION_FAMILY: 'edgi-data-service',
      REGION: region,
    });
    expect(JSON.parse((await b.request('/api/askedgi/workspace')).body)).toEqual({ status: 'ready', projectId: row!.project_id });
  });

  it('never rendered a secret', () => {
    expect(findFault('workspace-not-created')?.step).toBe(10);
    expect(seen.length).toBeGreaterThan(20);
    for (const body of seen) {
      expect(body).not.toContain(adminPassword());
      expect(body).not.toContain(OPENAI_KEY);
      expect(body).not.toContain(stack.database.password);
      expect(body).not.toMatch(/sk-sandbox-/);
    }
  });
});
