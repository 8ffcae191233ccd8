// The database side of the inventory: the two edgi tables, read with SELECT on a read-only session.
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { createConnection } from 'mysql2/promise';
import type { Config } from '../config/schema.js';
import { isSecretName, REDACTED } from './redact.js';

export type Row = Record<string, string | number | boolean | null>;

export interface WorkspaceRow {
  /** Primary key value. */
  pk: string | number;
  user: string;
  email?: string;
  projectId: string | null;
  serviceName?: string;
  /** Every column, values of secret-looking columns redacted. */
  row: Row;
}

export interface UptimeRow {
  pk: string | number;
  user: string;
  stackId: string | number | null;
  row: Row;
}

export interface DbConnectionOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  tls: boolean;
}

/** Parse mysql://user:password@host:port/schema without ever echoing the password in an error. */
export function parseDbUrl(url: string, tls: boolean): DbConnectionOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error('the database URL is not a valid URL (expected mysql://user:password@host:port/schema).');
  }
  if (u.protocol !== 'mysql:') throw new Error(`the database URL has scheme ${u.protocol.replace(':', '')}, expected mysql.`);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) throw new Error('the database URL names no schema (expected mysql://user:password@host:port/schema).');
  return { host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), database, tls };
}

function normalize(raw: RowDataPacket): Row {
  const row: Row = {};
  for (const [k, v] of Object.entries(raw)) {
    if (isSecretName(k)) row[k] = REDACTED;
    else if (v instanceof Date) row[k] = v.toISOString();
    else if (Buffer.isBuffer(v)) row[k] = v.toString('base64');
    else row[k] = (v as string | number | boolean | null) ?? null;
  }
  return row;
}

/** Read-only access to the edgi tables. Every statement is counted by its verb under "mysql:". */
export class WorkspaceDb {
  private conn?: Promise<Connection>;

  constructor(
    private readonly options: () => Promise<DbConnectionOptions>,
    private readonly cfg: NonNullable<Config['database']>,
    private readonly count: (op: string) => void,
  ) {}

  private connection(): Promise<Connection> {
    this.conn ??= (async () => {
      const o = await this.options();
      const c = await createConnection({
        host: o.host,
        port: o.port,
        user: o.user,
        password: o.password,
        database: o.database,
        connectTimeout: 10_000,
        ...(o.tls ? { ssl: { rejectUnauthorized: true } } : {}),
      });
      // Belt and braces: the session itself refuses writes.
      await c.query('SET SESSION TRANSACTION READ ONLY');
      this.count('mysql:SET');
      return c;
    })();
    return this.conn;
  }

  private async select(sql: string, params: unknown[]): Promise<Row[]> {
    const c = await this.connection();
    this.count('mysql:SELECT');
    const [rows] = await c.query<RowDataPacket[]>(sql, params);
    return rows.map(normalize);
  }

  /** Rows of the stack table for a user id or e-mail. */
  async workspaceRows(user: string): Promise<WorkspaceRow[]> {
    const t = this.cfg.stackTable;
    const rows = await this.select('SELECT * FROM ?? WHERE ?? = ? OR ?? = ? ORDER BY ??', [t.name, t.userColumn, user, t.emailColumn, user, t.primaryKey]);
    return rows.map((row) => ({
      pk: row[t.primaryKey] as string | number,
      user: String(row[t.userColumn] ?? ''),
      email: row[t.emailColumn] == null ? undefined : String(row[t.emailColumn]),
      projectId: row[t.projectIdColumn] == null ? null : String(row[t.projectIdColumn]),
      serviceName: row[t.serviceNameColumn] == null ? undefined : String(row[t.serviceNameColumn]),
      row,
    }));
  }

  /** Rows of the uptime table for a user id (and the e-mail's user ids, resolved by the caller). */
  async uptimeRows(users: string[]): Promise<UptimeRow[]> {
    if (users.length === 0) return [];
    const t = this.cfg.uptimeTable;
    const rows = await this.select('SELECT * FROM ?? WHERE ?? IN (?) ORDER BY ??', [t.name, t.userColumn, users, t.primaryKey]);
    return rows.map((row) => ({
      pk: row[t.primaryKey] as string | number,
      user: String(row[t.userColumn] ?? ''),
      stackId: (row[t.stackIdColumn] as string | number | null) ?? null,
      row,
    }));
  }

  async close(): Promise<void> {
    if (this.conn) await (await this.conn.catch(() => undefined))?.end().catch(() => undefined);
  }
}
