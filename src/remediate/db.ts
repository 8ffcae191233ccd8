// Rows of the two edgi tables, read exactly (for backups and drift comparison) on the remediation's
// own connection. The writer is this module's caller (actions/reset-workspace.ts); the statements
// use mysql2 placeholders, ?? for identifiers, and DELETE only ever by primary key.
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import type { Config } from '../config/schema.js';
import type { DbConnectionOptions } from '../inventory/db.js';
import { isSecretName, REDACTED } from '../inventory/redact.js';
import type { Json, PlanRow, RowSet } from './types.js';

export type DbConfig = NonNullable<Config['database']>;

/**
 * A connection whose values round-trip exactly: DATETIME read and written as UTC (timezone Z),
 * BIGINT beyond 2^53 as strings.
 */
export function openConnection(o: DbConnectionOptions, readOnly: boolean): Promise<Connection> {
  return createConnection({
    host: o.host,
    port: o.port,
    user: o.user,
    password: o.password,
    database: o.database,
    connectTimeout: 10_000,
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: false,
    ...(o.tls ? { ssl: { rejectUnauthorized: true } } : {}),
  }).then(async (c) => {
    if (readOnly) await c.query('SET SESSION TRANSACTION READ ONLY');
    return c;
  });
}

/** Encode one raw row: dates as ISO strings, binary as base64, JSON as its value; types noted per column. */
export function encodeRow(raw: RowDataPacket, types: RowSet['types']): PlanRow {
  const row: PlanRow = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v instanceof Date) {
      types[k] = 'date';
      row[k] = Number.isNaN(v.getTime()) ? null : v.toISOString();
    } else if (Buffer.isBuffer(v)) {
      types[k] = 'binary';
      row[k] = v.toString('base64');
    } else if (typeof v === 'bigint') {
      row[k] = v.toString();
    } else if (v !== null && typeof v === 'object') {
      types[k] = 'json';
      row[k] = v as Json;
    } else {
      row[k] = (v as string | number | boolean | null) ?? null;
    }
  }
  return row;
}

/** A value back as mysql2 should send it for an INSERT. */
export function decodeValue(value: Json, type: RowSet['types'][string] | undefined): unknown {
  if (value === null) return null;
  if (type === 'date') return new Date(String(value));
  if (type === 'binary') return Buffer.from(String(value), 'base64');
  if (type === 'json') return JSON.stringify(value);
  return value;
}

/** The same rows with secret-looking columns redacted: what a plan (and any output) may hold. */
export function redactRowSet(set: RowSet): RowSet {
  return { ...set, rows: set.rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, isSecretName(k) ? REDACTED : v]))) };
}

export const pkOf = (set: Pick<RowSet, 'primaryKey'>, row: PlanRow): string => String(row[set.primaryKey]);

export interface Selection {
  /** reset-workspace --user: the user id or e-mail. */
  user?: string;
  all?: boolean;
}

/** The rows a reset removes, in both tables. `lock` adds FOR UPDATE (inside a transaction). */
export async function selectWorkspaceRows(conn: Connection, db: DbConfig, sel: Selection, lock: boolean, limit?: number): Promise<{ stack: RowSet; uptime: RowSet }> {
  const s = db.stackTable;
  const u = db.uptimeTable;
  const forUpdate = lock ? ' FOR UPDATE' : '';
  const lim = limit !== undefined ? ` LIMIT ${Math.floor(limit)}` : '';
  const stack: RowSet = { table: s.name, primaryKey: s.primaryKey, types: {}, rows: [] };
  const uptime: RowSet = { table: u.name, primaryKey: u.primaryKey, types: {}, rows: [] };
  let stackRaw: RowDataPacket[];
  let uptimeRaw: RowDataPacket[];
  if (sel.all) {
    [stackRaw] = await conn.query<RowDataPacket[]>(`SELECT * FROM ?? ORDER BY ??${lim}${forUpdate}`, [s.name, s.primaryKey]);
    [uptimeRaw] = await conn.query<RowDataPacket[]>(`SELECT * FROM ?? ORDER BY ??${lim}${forUpdate}`, [u.name, u.primaryKey]);
  } else {
    const user = sel.user!;
    [stackRaw] = await conn.query<RowDataPacket[]>(`SELECT * FROM ?? WHERE ?? = ? OR ?? = ? ORDER BY ??${lim}${forUpdate}`, [s.name, s.userColumn, user, s.emailColumn, user, s.primaryKey]);
    const users = [...new Set([user, ...stackRaw.map((r) => String(r[s.userColumn] ?? '')).filter(Boolean)])];
    const stackIds = stackRaw.map((r) => r[s.primaryKey] as string | number);
    [uptimeRaw] =
      stackIds.length > 0
        ? await conn.query<RowDataPacket[]>(`SELECT * FROM ?? WHERE ?? IN (?) OR ?? IN (?) ORDER BY ??${lim}${forUpdate}`, [u.name, u.userColumn, users, u.stackIdColumn, stackIds, u.primaryKey])
        : await conn.query<RowDataPacket[]>(`SELECT * FROM ?? WHERE ?? IN (?) ORDER BY ??${lim}${forUpdate}`, [u.name, u.userColumn, users, u.primaryKey]);
  }
  stack.rows = stackRaw.map((r) => encodeRow(r, stack.types));
  uptime.rows = uptimeRaw.map((r) => encodeRow(r, uptime.types));
  return { stack, uptime };
}

export async function countRows(conn: Connection, table: string): Promise<number> {
  const [r] = await conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM ??', [table]);
  return Number(r[0]?.n ?? 0);
}

/** Differences between planned rows and rows read now, per primary key; redacted planned values are not compared. */
export function diffRows(planned: RowSet, live: RowSet): string[] {
  const out: string[] = [];
  const liveBy = new Map(live.rows.map((r) => [pkOf(live, r), r]));
  const plannedKeys = new Set(planned.rows.map((r) => pkOf(planned, r)));
  for (const p of planned.rows) {
    const key = pkOf(planned, p);
    const l = liveBy.get(key);
    if (!l) {
      out.push(`${planned.table} row ${planned.primaryKey}=${key} is gone`);
      continue;
    }
    const cols = new Set([...Object.keys(p), ...Object.keys(l)]);
    for (const c of cols) {
      if (p[c] === REDACTED && isSecretName(c)) continue;
      const a = JSON.stringify(p[c] ?? null);
      const b = JSON.stringify(l[c] ?? null);
      if (a !== b) out.push(`${planned.table} row ${planned.primaryKey}=${key} column ${c} changed: planned ${isSecretName(c) ? REDACTED : a}, now ${isSecretName(c) ? REDACTED : b}`);
    }
  }
  for (const l of live.rows) {
    const key = pkOf(live, l);
    if (!plannedKeys.has(key)) out.push(`${live.table} row ${live.primaryKey}=${key} is new (not in the plan)`);
  }
  return out;
}
