// Where the database credentials come from: an env:NAME URL, or the Data task's AWS_SCTNAME secret.
// The password is used to connect and nowhere else; it never enters the inventory's data.
import { envName, envRef } from '../config/resolve.js';
import type { Config } from '../config/schema.js';
import { parseDbUrl, type DbConnectionOptions } from './db.js';
import { toInventoryError } from './errors.js';
import { registerDbUrl, registerSecretString } from '../secrets/mask.js';
import type { DatabaseAccess } from './live.js';
import { envValue } from '../resolve/env.js';

export function databaseAccess(cfg: Config, env: NodeJS.ProcessEnv, leftOut?: string): DatabaseAccess {
  if (leftOut) return { unavailable: leftOut };
  const db = cfg.database;
  if (!db) return { unavailable: 'no database configured (database.url or database.fromSecret)' };
  return {
    config: db,
    connect: async (clients, inv): Promise<DbConnectionOptions> => {
      if (db.url) {
        const url = envRef(db.url, env);
        if (!url) throw new Error(`environment variable ${envName(db.url)} (database.url) is not set`);
        registerDbUrl(url);
        return parseDbUrl(url, db.tls);
      }
      const data = await inv.taskDefinition(cfg.taskDefinitions.data);
      const secretId = data ? envValue(data, 'AWS_SCTNAME')?.trim() : undefined;
      if (!secretId) throw new Error(`the Data task definition ${cfg.taskDefinitions.data} has no AWS_SCTNAME to read database credentials from`);
      let r;
      try {
        const { sdk, client } = await clients.get('secrets');
        r = await client.send(new sdk.GetSecretValueCommand({ SecretId: secretId }));
      } catch (err) {
        // Name the action that failed (not the SELECT that was about to run).
        throw toInventoryError(err, 'secretsmanager:GetSecretValue', `database secret ${secretId} (AWS_SCTNAME)`);
      }
      registerSecretString(r.SecretString);
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(r.SecretString ?? '') as Record<string, unknown>;
      } catch {
        throw new Error(`secret ${secretId} is not JSON with host, port, username, password and dbname`);
      }
      const str = (k: string) => (typeof parsed[k] === 'string' || typeof parsed[k] === 'number' ? String(parsed[k]) : undefined);
      const host = str('host');
      const user = str('username');
      const password = str('password');
      const database = str('dbname') ?? 'ovaledgedb';
      if (!host || !user || password === undefined) throw new Error(`secret ${secretId} lacks host, username or password`);
      return { host, port: Number(str('port') ?? 3306), user, password, database, tls: db.tls };
    },
  };
}
