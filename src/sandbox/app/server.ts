// A small OvalEdge-like web app for the sandbox (node:http): login, AskEdgi with its workspace and file
// upload to the Edgi bucket, Settings → AI (OpenAI key, marketplace details). It behaves like the real
// system where runbook step 10 says so, and reads its fault flags from <dir>/app-state.json on every
// request, so `askedgi-doctor sandbox break` changes a running app.
//
// UI contract (the doctor's smoke test finds elements by these labels and roles; keep it exact):
//   GET  <base>/                 302 → <base>/login
//   GET  <base>/login            label "User ID" (#username), label "Password" (#password), button "Sign in";
//                                flag ssoRedirect: 302 → http://localhost:<port>/sso/authorize?client_id=ovaledge
//   any  <base>, <base>/…        flag serviceUnavailable: 503 Service Temporarily Unavailable (a load balancer without healthy targets)
//   POST <base>/login            form-urlencoded; bad credentials: 401 + <p role="alert">Invalid user ID or password.</p>;
//                                good: session cookie (HttpOnly, SameSite=Lax) + 302 → <base>/home; first login creates the workspace
//   GET  <base>/home             nav links "AskEdgi", "Settings", button "Log out" (POST <base>/logout; GET works too)
//   GET  <base>/askedgi          <h1>AskEdgi</h1>, role=status #workspace-status ("Initializing workspace…" |
//                                "Workspace ready (project <id>)"), button "Files" (disabled until ready) opening
//                                <dialog aria-label="Files"> with label "Browse to Upload" (#upload, file input);
//                                list "Workspace data"; upload errors as <p role="alert">Upload failed: …</p>
//   GET  <base>/api/askedgi/workspace     {status: "ready", projectId} | {status: "initializing"}
//   GET  <base>/api/askedgi/files         {files: [name…]}  (S3 ListObjectsV2 of askedgi/<user>/)
//   PUT  <base>/api/askedgi/files/<name>  body = the file (≤ 1 GB) → 201 {name, key}; errors {error: "Upload failed: …"}
//   GET  <base>/settings         link "AI"
//   GET  <base>/settings/ai      <h1>AI</h1>, section "OpenAI" with #openai-key-state "API key: Configured" |
//                                "API key: Not configured", label "API Key" (#openai-key), button "Save"
//                                (POST <base>/settings/ai/openai); section "Marketplace" (provider, plan, region)
//                                unless flag marketplaceMissing
// Unauthenticated page requests get 302 → <base>/login; API requests get 401 JSON.
// Nothing secret is ever rendered (admin password, OpenAI key).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { createPool, type Pool } from 'mysql2/promise';
import { destroyClients, makeClients, type AwsClients } from '../../aws/clients.js';
import type { DbConnectionOptions } from '../../inventory/db.js';
import type { SandboxState } from '../provision.js';
import {
  aiSettingsPage,
  askEdgiPage,
  errorPage,
  homePage,
  loginPage,
  settingsPage,
  ssoPage,
  type PageContext,
} from './pages.js';
import { readAppFlags, type AppFlags } from './state.js';
import { onLogin, workspaceStatus, type WorkspaceDeps } from './workspace.js';

export const CONTEXT_PATH = '/ovaledge';
const SESSION_COOKIE = 'OESESSIONID';
const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;
const MAX_FORM_BYTES = 64 * 1024;
const ALLOWED_EXTENSIONS = ['.csv', '.pqt', '.xlsx', '.json'];

export interface OvalEdgeAppOptions {
  /** The sandbox directory: <dir>/app-state.json holds the fault flags, read on every request. */
  dir: string;
  /** The application database user (edgi) on the ovaledgedb schema. */
  db: DbConnectionOptions;
  /** moto endpoint and region, for S3, Cloud Map and CloudWatch Logs. */
  endpoint: string;
  region: string;
  state: SandboxState;
  admin: { user: string; email: string; password: string };
  /** OpenAI key the app starts with (kept in memory only); a random fake key when absent. */
  openAiKey?: string;
  /** Delay between creating a workspace's rows and registering its Data service in Cloud Map (default 1000 ms). */
  workspaceRegistrationDelayMs?: number;
}

export interface OvalEdgeApp {
  /** http://127.0.0.1:<port>/ovaledge */
  baseUrl: string;
  /** Point the app at a re-provisioned sandbox (new bucket and Cloud Map ids) and forget sessions. */
  setState(state: SandboxState): void;
  stop(): Promise<void>;
}

interface Session {
  user: string;
  email: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
const sameSecret = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpError(413, 'Request body too large.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function cookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

/** A file name for the workspace: one path segment, a supported extension, no control characters. */
function uploadName(raw: string): string {
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, 'Upload failed: the file name is not valid.');
  }
  // eslint-disable-next-line no-control-regex
  if (!name || name.length > 255 || /[/\\\u0000-\u001f\u007f]/.test(name) || name === '.' || name === '..') {
    throw new HttpError(400, 'Upload failed: the file name is not valid.');
  }
  if (!ALLOWED_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext))) {
    throw new HttpError(415, 'Upload failed: only CSV, PQT, XLSX and JSON files are supported.');
  }
  return name;
}

/** Starts the app on a free port of 127.0.0.1. */
export async function startOvalEdgeApp(opts: OvalEdgeAppOptions): Promise<OvalEdgeApp> {
  const clients: AwsClients = makeClients({ region: opts.region, endpoint: opts.endpoint });
  const pool: Pool = createPool({
    host: opts.db.host,
    port: opts.db.port,
    user: opts.db.user,
    password: opts.db.password,
    database: opts.db.database,
    connectionLimit: 4,
    connectTimeout: 10_000,
    ...(opts.db.tls ? { ssl: { rejectUnauthorized: true } } : {}),
  });
  const deps: WorkspaceDeps = { pool, clients, state: opts.state };
  const sessions = new Map<string, Session>();
  let openAiKey: string | undefined = opts.openAiKey ?? `sk-sandbox-${randomBytes(24).toString('base64url')}`;
  const registrationDelay = opts.workspaceRegistrationDelayMs ?? 1000;
  /** Delayed background tasks (Cloud Map registration after a workspace is created): timer → resolve of its promise. */
  const timers = new Map<NodeJS.Timeout, () => void>();
  const pending = new Set<Promise<void>>();
  let stopping = false;
  let port = 0;

  const schedule = (task: () => Promise<void>): void => {
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (stopping) return resolve();
        task()
          .catch((err: unknown) => process.stderr.write(`sandbox app: background task failed: ${(err as Error).message}\n`))
          .finally(resolve);
      }, registrationDelay);
      timers.set(timer, resolve);
    });
    pending.add(done);
    void done.then(() => pending.delete(done));
  };

  const userPrefix = (user: string) => `askedgi/${user}/`;

  async function listFiles(user: string): Promise<string[]> {
    const prefix = userPrefix(user);
    const names: string[] = [];
    let token: string | undefined;
    do {
      const out = await clients.s3.send(new ListObjectsV2Command({ Bucket: opts.state.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of out.Contents ?? []) if (o.Key) names.push(o.Key.slice(prefix.length));
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token && names.length < 5000);
    return names.sort((a, b) => a.localeCompare(b));
  }

  function send(res: ServerResponse, status: number, body: string, type: string, headers: Record<string, string | string[]> = {}): void {
    res.writeHead(status, {
      'content-type': type,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
      'x-frame-options': 'DENY',
      ...headers,
    });
    res.end(body);
  }

  function html(res: ServerResponse, status: number, body: string, nonce: string, headers: Record<string, string | string[]> = {}): void {
    send(res, status, body, 'text/html; charset=utf-8', {
      'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
      ...headers,
    });
  }

  const json = (res: ServerResponse, status: number, body: unknown): void => send(res, status, JSON.stringify(body), 'application/json; charset=utf-8');
  const redirect = (res: ServerResponse, location: string, headers: Record<string, string | string[]> = {}): void => {
    res.writeHead(302, { location, 'cache-control': 'no-store', ...headers });
    res.end();
  };

  const ssoLocation = () => `http://localhost:${port}/sso/authorize?client_id=ovaledge`;

  function sessionOf(req: IncomingMessage): { id: string; session: Session } | undefined {
    const id = cookies(req)[SESSION_COOKIE];
    const session = id ? sessions.get(id) : undefined;
    return id && session ? { id, session } : undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const nonce = randomBytes(12).toString('base64');
    const ctx: PageContext = { base: CONTEXT_PATH, nonce };
    const flags: AppFlags = await readAppFlags(opts.dir);

    // Cross-site writes are refused (SameSite=Lax covers most, this covers the rest).
    const origin = req.headers.origin;
    if (method !== 'GET' && method !== 'HEAD' && origin && origin !== `http://${req.headers.host ?? ''}`) {
      throw new HttpError(403, 'Cross-origin request refused.');
    }

    if (path === '/sso/authorize' && method === 'GET') return html(res, 200, ssoPage(ctx), nonce);
    if (path === '/favicon.ico') {
      res.writeHead(204, { 'cache-control': 'max-age=86400' });
      return void res.end();
    }
    if (flags.serviceUnavailable && (path === CONTEXT_PATH || path.startsWith(`${CONTEXT_PATH}/`))) {
      // What an ALB answers when its target group has no healthy targets.
      return send(res, 503, '<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>\n', 'text/html; charset=utf-8');
    }
    if (path === CONTEXT_PATH || path === `${CONTEXT_PATH}/`) return redirect(res, `${CONTEXT_PATH}/login`);
    if (!path.startsWith(`${CONTEXT_PATH}/`)) throw new HttpError(404, 'Not found.');
    const route = path.slice(CONTEXT_PATH.length);

    if (route === '/login') {
      if (flags.ssoRedirect) return redirect(res, ssoLocation());
      if (method === 'GET') return html(res, 200, loginPage(ctx), nonce);
      if (method !== 'POST') throw new HttpError(405, 'Method not allowed.');
      const form = new URLSearchParams(await readBody(req, MAX_FORM_BYTES));
      const username = (form.get('username') ?? '').trim();
      const password = form.get('password') ?? '';
      const { admin } = opts;
      const knownUser = username === admin.user || username.toLowerCase() === admin.email.toLowerCase();
      if (!knownUser || !sameSecret(password, admin.password)) {
        return html(res, 401, loginPage(ctx, { error: 'Invalid user ID or password.', username }), nonce);
      }
      await onLogin(deps, { user: admin.user, email: admin.email }, flags, schedule);
      const id = randomBytes(32).toString('base64url');
      sessions.set(id, { user: admin.user, email: admin.email });
      return redirect(res, `${CONTEXT_PATH}/home`, {
        'set-cookie': `${SESSION_COOKIE}=${id}; Path=${CONTEXT_PATH}; HttpOnly; SameSite=Lax`,
      });
    }

    const auth = sessionOf(req);
    const isApi = route.startsWith('/api/');
    if (!auth) {
      if (isApi) return json(res, 401, { error: 'Not signed in.' });
      return redirect(res, `${CONTEXT_PATH}/login`);
    }
    const { user } = auth.session;

    if (route === '/logout' && (method === 'POST' || method === 'GET')) {
      sessions.delete(auth.id);
      return redirect(res, `${CONTEXT_PATH}/login`, { 'set-cookie': `${SESSION_COOKIE}=; Path=${CONTEXT_PATH}; HttpOnly; SameSite=Lax; Max-Age=0` });
    }
    if (route === '/home' && method === 'GET') return html(res, 200, homePage(ctx, user), nonce);
    if (route === '/askedgi' && method === 'GET') {
      const ws = await workspaceStatus(deps, user);
      const files = ws.ready ? await listFiles(user) : [];
      return html(res, 200, askEdgiPage(ctx, { ready: ws.ready, projectId: ws.projectId, files }), nonce);
    }
    if (route === '/api/askedgi/workspace' && method === 'GET') {
      const ws = await workspaceStatus(deps, user);
      return json(res, 200, ws.ready ? { status: 'ready', projectId: ws.projectId } : { status: 'initializing' });
    }
    if (route === '/api/askedgi/files' && method === 'GET') {
      const ws = await workspaceStatus(deps, user);
      if (!ws.ready) throw new HttpError(409, 'The workspace is not ready.');
      return json(res, 200, { files: await listFiles(user) });
    }
    if (route.startsWith('/api/askedgi/files/') && method === 'PUT') {
      const name = uploadName(route.slice('/api/askedgi/files/'.length));
      const ws = await workspaceStatus(deps, user);
      if (!ws.ready) throw new HttpError(409, 'Upload failed: the workspace is not ready.');
      const length = Number(req.headers['content-length']);
      if (!Number.isInteger(length) || length < 0) throw new HttpError(411, 'Upload failed: the request has no Content-Length.');
      if (length > MAX_UPLOAD_BYTES) throw new HttpError(413, 'Upload failed: files are limited to 1 GB.');
      if (flags.uploadRejected) throw new HttpError(500, 'Upload failed: storage rejected the file');
      const key = `${userPrefix(user)}${name}`;
      if (flags.uploadDiscarded) {
        // Read the body to its end and claim success without storing it.
        for await (const chunk of req) void chunk;
        return json(res, 201, { name, key });
      }
      const contentType = String(req.headers['content-type'] ?? 'application/octet-stream').slice(0, 200);
      await clients.s3.send(new PutObjectCommand({ Bucket: opts.state.bucket, Key: key, Body: req, ContentLength: length, ContentType: contentType }));
      return json(res, 201, { name, key });
    }
    if (route === '/settings' && method === 'GET') return html(res, 200, settingsPage(ctx), nonce);
    if (route === '/settings/ai' && method === 'GET') {
      return html(res, 200, aiSettingsPage(ctx, aiView(flags, { saved: url.searchParams.get('saved') === '1' })), nonce);
    }
    if (route === '/settings/ai/openai' && method === 'POST') {
      const form = new URLSearchParams(await readBody(req, MAX_FORM_BYTES));
      const key = (form.get('apiKey') ?? '').trim();
      if (!key) return html(res, 400, aiSettingsPage(ctx, aiView(flags, { error: 'Enter the API key provided by the development team.' })), nonce);
      openAiKey = key;
      return redirect(res, `${CONTEXT_PATH}/settings/ai?saved=1`);
    }
    throw new HttpError(404, 'Not found.');
  }

  function aiView(flags: AppFlags, extra: { error?: string; saved?: boolean }) {
    return {
      openAiKeyConfigured: openAiKey !== undefined && openAiKey !== '',
      marketplace: flags.marketplaceMissing ? undefined : { provider: 'AWS Marketplace', plan: 'AskEdgi SaaS – Data Analytics', region: opts.state.region },
      ...extra,
    };
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      const message = err instanceof HttpError ? err.message : 'Internal error.';
      if (!(err instanceof HttpError)) process.stderr.write(`sandbox app: ${req.method} ${req.url}: ${(err as Error).message}\n`);
      // Drain an unread upload so the client sees the answer instead of a reset connection.
      if (!req.complete) req.resume();
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const isApi = (req.url ?? '').startsWith(`${CONTEXT_PATH}/api/`);
      if (isApi) {
        const isUpload = req.method === 'PUT' && (req.url ?? '').startsWith(`${CONTEXT_PATH}/api/askedgi/files/`);
        json(res, status, { error: isUpload && !message.startsWith('Upload failed') ? `Upload failed: ${message}` : message });
      } else {
        const nonce = randomBytes(12).toString('base64');
        html(res, status, errorPage({ base: CONTEXT_PATH, nonce }, status === 404 ? 'Not found' : 'Error', message), nonce);
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    baseUrl: `http://127.0.0.1:${port}${CONTEXT_PATH}`,
    setState(state: SandboxState) {
      opts.state = state;
      deps.state = state;
      sessions.clear();
    },
    async stop() {
      stopping = true;
      for (const [timer, resolve] of timers) {
        clearTimeout(timer);
        resolve();
      }
      timers.clear();
      await Promise.allSettled([...pending]);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await pool.end().catch(() => undefined);
      destroyClients(clients);
      openAiKey = undefined;
    },
  };
}
