// The whole local sandbox on top of a running moto: the AWS side (sandboxUp), MariaDB with the two edgi
// tables and the admin's workspace, and the OvalEdge-like app — and the doctor's config pointing at all
// of it (database, workspace, smoke sections), with the secrets in environment variables only.
import { randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { parse } from 'yaml';
import { destroyClients, makeClients } from '../aws/clients.js';
import type { ConfigInput } from '../config/schema.js';
import type { DbConnectionOptions } from '../inventory/db.js';
import { startOvalEdgeApp, type OvalEdgeApp } from './app/server.js';
import { CLEAN_FLAGS, writeAppFlags } from './app/state.js';
import { dataServiceName } from './app/workspace.js';
import { connectApp, provisionDatabase, seedWorkspace, STACK_TABLE, UPTIME_TABLE } from './database.js';
import { ensureEmulatorCredentials } from './emulator.js';
import { SANDBOX_APP_FILE, sandboxUp } from './faults/index.js';
import { startMariaDb, type MariaDbServer } from './mariadb.js';
import { SANDBOX_CONFIG_FILE, writeSandboxConfig, type SandboxState } from './provision.js';

export const ADMIN_ENV_FILE = 'admin.env';
export const SANDBOX_ADMIN = { user: 'admin', email: 'admin@askedgi.local' } as const;

export interface SandboxStackOptions {
  /** A running moto server; it is reset and provisioned afresh. */
  endpoint: string;
  region?: string;
  /** The sandbox directory: config, state, app flags, sandbox-app.json and admin.env are written here. */
  dir: string;
}

export interface SandboxStack {
  /** <dir>/askedgi-doctor.yaml, with database, workspace and smoke sections. */
  configPath: string;
  /** ASKEDGI_DB_URL, ASKEDGI_ADMIN_USER, ASKEDGI_ADMIN_PASSWORD: what the config's env: references name. */
  env: Record<string, string>;
  /** http://127.0.0.1:<port>/ovaledge */
  baseUrl: string;
  state: SandboxState;
  database: DbConnectionOptions;
  /** Back to the clean sandbox without restarting MariaDB or the app: re-provisions moto, re-seeds the tables, clears the app's flags. */
  reset(): Promise<void>;
  /** Stops the app and MariaDB (not moto). */
  stop(): Promise<void>;
}

const shellQuote = (v: string): string => `'${v.replace(/'/g, `'\\''`)}'`;

async function writePrivate(path: string, content: string): Promise<void> {
  await writeFile(path, content, { encoding: 'utf8', mode: 0o600 });
  await chmod(path, 0o600); // an existing file keeps its old mode otherwise
}

/** The admin's workspace rows (as after a first login), the DB secret, and the doctor's config for the whole stack. */
async function prepare(dir: string, endpoint: string, region: string, state: SandboxState, options: DbConnectionOptions, url: string, baseUrl: string, adminPassword: string) {
  await writeAppFlags(dir, { ...CLEAN_FLAGS });
  const conn = await connectApp(options);
  try {
    await conn.query(`DELETE FROM ${UPTIME_TABLE} WHERE id > 0`);
    await conn.query(`DELETE FROM ${STACK_TABLE} WHERE id > 0`);
    await seedWorkspace(conn, {
      user: SANDBOX_ADMIN.user,
      email: SANDBOX_ADMIN.email,
      serviceName: dataServiceName(SANDBOX_ADMIN.user),
      taskDefinitionArn: state.taskDefinitions.data[state.taskDefinitions.data.length - 1],
    });
  } finally {
    await conn.end();
  }

  // The Data task's AWS_SCTNAME secret now names the real database.
  const clients = makeClients({ region, endpoint });
  try {
    await clients.secrets.send(
      new PutSecretValueCommand({
        SecretId: state.secrets.db.name,
        SecretString: JSON.stringify({ host: options.host, port: options.port, username: options.user, password: options.password, dbname: options.database }),
      }),
    );
  } finally {
    destroyClients(clients);
  }

  await writePrivate(join(dir, SANDBOX_APP_FILE), `${JSON.stringify({ database: options, baseUrl }, null, 2)}\n`);
  const env = { ASKEDGI_DB_URL: url, ASKEDGI_ADMIN_USER: SANDBOX_ADMIN.user, ASKEDGI_ADMIN_PASSWORD: adminPassword };
  await writePrivate(
    join(dir, ADMIN_ENV_FILE),
    `# Secrets of the local sandbox: source this file before running the doctor against it.\n${Object.entries(env)
      .map(([k, v]) => `export ${k}=${shellQuote(v)}`)
      .join('\n')}\n`,
  );

  const configPath = join(dir, SANDBOX_CONFIG_FILE);
  const config = parse(await readFile(configPath, 'utf8')) as ConfigInput;
  config.database = { url: 'env:ASKEDGI_DB_URL' };
  config.workspace = { user: SANDBOX_ADMIN.user };
  // The sandbox registers a workspace within about a second: 15 s is ample and keeps failing runs short.
  config.smoke = { baseUrl, username: 'env:ASKEDGI_ADMIN_USER', password: 'env:ASKEDGI_ADMIN_PASSWORD', timeoutMs: 15_000 };
  await writeSandboxConfig(dir, config); // validates against configSchema first
  return { configPath, env };
}

/** Provisions the AWS sandbox into moto, starts MariaDB and the OvalEdge app, and writes the doctor's config for all of it. */
export async function startSandboxStack(opts: SandboxStackOptions): Promise<SandboxStack> {
  const region = opts.region ?? 'us-east-1';
  const { dir, endpoint } = opts;
  ensureEmulatorCredentials();
  let state = await sandboxUp({ endpoint, outDir: dir, region });
  await writeAppFlags(dir, { ...CLEAN_FLAGS });

  let maria: MariaDbServer | undefined;
  let app: OvalEdgeApp | undefined;
  try {
    maria = await startMariaDb();
    const { url, options } = await provisionDatabase({ host: maria.host, port: maria.port });
    const adminPassword = randomBytes(18).toString('base64url');
    app = await startOvalEdgeApp({
      dir,
      db: options,
      endpoint,
      region,
      state,
      admin: { user: SANDBOX_ADMIN.user, email: SANDBOX_ADMIN.email, password: adminPassword },
    });
    const started = { maria, app };
    const prepared = await prepare(dir, endpoint, region, state, options, url, app.baseUrl, adminPassword);
    const stack: SandboxStack = {
      configPath: prepared.configPath,
      env: prepared.env,
      baseUrl: app.baseUrl,
      state,
      database: options,
      async reset() {
        state = await sandboxUp({ endpoint, outDir: dir, region });
        started.app.setState(state);
        stack.state = state;
        await prepare(dir, endpoint, region, state, options, url, started.app.baseUrl, adminPassword);
      },
      async stop() {
        await started.app.stop().catch(() => undefined);
        await started.maria.stop();
      },
    };
    return stack;
  } catch (err) {
    await app?.stop().catch(() => undefined);
    await maria?.stop().catch(() => undefined);
    throw err;
  }
}
