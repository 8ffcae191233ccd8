// The OvalEdge schema of the sandbox: schema `ovaledgedb`, the application user `edgi` and the two
// edgi tables the runbook's step 10 talks about, in the throwaway MariaDB of ./mariadb.ts.
//
// The real OvalEdge DDL of these tables is not public. This is our design; the table and column
// names are the defaults of src/config/schema.ts (database.stackTable / database.uptimeTable), which
// is what the doctor reads with when nothing is configured.
//
//   edgi_data_service_stack            one row per user workspace (the user's Data service "stack")
//     id                  BIGINT AUTO_INCREMENT PRIMARY KEY
//     user_id             VARCHAR(128) NOT NULL         OvalEdge user id, e.g. "admin"      (KEY)
//     user_email          VARCHAR(255) NULL
//     project_id          VARCHAR(64)  NULL             "prj-" + 12 hex once the workspace exists
//     service_name        VARCHAR(255) NOT NULL         "edgi-data-service-<user>" (= Cloud Map instance id)
//     task_definition_arn VARCHAR(512) NULL             the Data revision the workspace runs
//     status              VARCHAR(32)  NOT NULL         RUNNING | STOPPED | FAILED
//     created_at          DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
//     updated_at          DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
//
//   edgi_data_service_uptime_history   start/stop history of each workspace
//     id                  BIGINT AUTO_INCREMENT PRIMARY KEY
//     stack_id            BIGINT NOT NULL               edgi_data_service_stack.id           (KEY)
//     user_id             VARCHAR(128) NOT NULL                                              (KEY)
//     started_at          DATETIME(3)  NOT NULL
//     stopped_at          DATETIME(3)  NULL             NULL while the workspace runs
//
// No foreign key between the two: the runbook deletes from both tables independently, and the
// doctor's remediation deletes rows by primary key in one transaction.
import { randomBytes } from 'node:crypto';
import { createConnection, type Connection, type ResultSetHeader } from 'mysql2/promise';
import type { DbConnectionOptions } from '../inventory/db.js';

export const SANDBOX_SCHEMA = 'ovaledgedb';
export const SANDBOX_DB_USER = 'edgi';
export const STACK_TABLE = 'edgi_data_service_stack';
export const UPTIME_TABLE = 'edgi_data_service_uptime_history';

const DDL = [
  `CREATE TABLE IF NOT EXISTS ${STACK_TABLE} (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id VARCHAR(128) NOT NULL,
    user_email VARCHAR(255) NULL,
    project_id VARCHAR(64) NULL,
    service_name VARCHAR(255) NOT NULL,
    task_definition_arn VARCHAR(512) NULL,
    status VARCHAR(32) NOT NULL,
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    KEY idx_stack_user (user_id)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  `CREATE TABLE IF NOT EXISTS ${UPTIME_TABLE} (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    stack_id BIGINT NOT NULL,
    user_id VARCHAR(128) NOT NULL,
    started_at DATETIME(3) NOT NULL,
    stopped_at DATETIME(3) NULL,
    KEY idx_uptime_user (user_id),
    KEY idx_uptime_stack (stack_id)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
];

export interface ProvisionedDatabase {
  /** mysql://edgi:<password>@127.0.0.1:<port>/ovaledgedb (holds the password: never print it). */
  url: string;
  options: DbConnectionOptions;
}

/**
 * Creates the schema, the application user `edgi` (random password, DML on the schema only) and the
 * two tables, connecting as root without a password (the throwaway server of startMariaDb).
 * Idempotent: an existing user is re-created with a new password; existing tables are kept.
 */
export async function provisionDatabase(root: { host: string; port: number }): Promise<ProvisionedDatabase> {
  const password = randomBytes(18).toString('base64url');
  const host = root.host;
  const conn = await createConnection({ host, port: root.port, user: 'root', connectTimeout: 10_000 });
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS ${SANDBOX_SCHEMA} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    // mariadbd runs with --skip-name-resolve, so the client host is matched as an IP address.
    await conn.query('DROP USER IF EXISTS ?@?', [SANDBOX_DB_USER, '127.0.0.1']);
    await conn.query('CREATE USER ?@? IDENTIFIED BY ?', [SANDBOX_DB_USER, '127.0.0.1', password]);
    await conn.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${SANDBOX_SCHEMA}.* TO ?@?`, [SANDBOX_DB_USER, '127.0.0.1']);
    await conn.query(`USE ${SANDBOX_SCHEMA}`);
    for (const ddl of DDL) await conn.query(ddl);
  } finally {
    await conn.end();
  }
  const options: DbConnectionOptions = { host: '127.0.0.1', port: root.port, user: SANDBOX_DB_USER, password, database: SANDBOX_SCHEMA, tls: false };
  return { url: dbUrl(options), options };
}

/** The mysql:// URL of connection options (user and password percent-encoded). */
export function dbUrl(o: DbConnectionOptions): string {
  return `mysql://${encodeURIComponent(o.user)}:${encodeURIComponent(o.password)}@${o.host}:${o.port}/${encodeURIComponent(o.database)}`;
}

/** A connection with the application user's options (schema selected). */
export function connectApp(o: DbConnectionOptions): Promise<Connection> {
  return createConnection({
    host: o.host,
    port: o.port,
    user: o.user,
    password: o.password,
    database: o.database,
    connectTimeout: 10_000,
    ...(o.tls ? { ssl: { rejectUnauthorized: true } } : {}),
  });
}

export interface WorkspaceSeed {
  user: string;
  email?: string;
  /** Also the Cloud Map instance id of the user's Data service. */
  serviceName: string;
  taskDefinitionArn?: string;
}

export interface CreatedWorkspace {
  stackId: number;
  uptimeId: number;
  projectId: string;
}

/** A project id as the sandbox issues them: "prj-" and 12 hex digits. */
export function newProjectId(): string {
  return `prj-${randomBytes(6).toString('hex')}`;
}

/**
 * Inserts a healthy workspace for a user, as OvalEdge does at the first admin login: a RUNNING stack
 * row with a project id, and an open uptime row. One transaction; `conn` must have the schema
 * selected (connectApp, or a pool connection of the app user).
 */
export async function seedWorkspace(conn: Connection, seed: WorkspaceSeed): Promise<CreatedWorkspace> {
  const projectId = newProjectId();
  await conn.beginTransaction();
  try {
    const [stack] = await conn.execute<ResultSetHeader>(
      `INSERT INTO ${STACK_TABLE} (user_id, user_email, project_id, service_name, task_definition_arn, status) VALUES (?, ?, ?, ?, ?, 'RUNNING')`,
      [seed.user, seed.email ?? null, projectId, seed.serviceName, seed.taskDefinitionArn ?? null],
    );
    const [uptime] = await conn.execute<ResultSetHeader>(
      `INSERT INTO ${UPTIME_TABLE} (stack_id, user_id, started_at, stopped_at) VALUES (?, ?, CURRENT_TIMESTAMP(3), NULL)`,
      [stack.insertId, seed.user],
    );
    await conn.commit();
    return { stackId: stack.insertId, uptimeId: uptime.insertId, projectId };
  } catch (err) {
    await conn.rollback().catch(() => undefined);
    throw err;
  }
}
