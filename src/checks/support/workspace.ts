import { envRef } from '../../config/resolve.js';
import type { Config } from '../../config/schema.js';
import type { RunContext } from '../../engine/check.js';
import { skip } from '../../engine/finding.js';
import type { Inventory } from '../../inventory/types.js';
import type { Resolved } from './insight.js';

/** Resolve env:NAME (src/config/resolve.ts). */
export const fromEnv = envRef;

/** The OvalEdge user whose workspace the step-10 probes look at, or why there is none. */
/** What the database and user pre-conditions of the workspace checks report. */
export const WORKSPACE_PROBE_CODES = ['no-user', 'no-database'] as const;

export function workspaceUser(cfg: Config, ctx: RunContext): Resolved<string> {
  const user = cfg.workspace.user ?? (cfg.smoke ? fromEnv(cfg.smoke.username, ctx.env) : undefined);
  if (!user) return { ok: false, findings: [skip('No workspace user configured (workspace.user, or smoke.username); the workspace probes need one.', { code: 'no-user' })] };
  return { ok: true, value: user };
}

/** The database is configured and not left out, or a `skip` saying why. */
export function databaseReady(inv: Inventory): Resolved<true> {
  const why = inv.databaseUnavailable();
  return why ? { ok: false, findings: [skip(`Database probe not run: ${why}.`, { code: 'no-database' })] } : { ok: true, value: true };
}
