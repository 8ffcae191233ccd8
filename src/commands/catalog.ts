// The check catalog a command works with: the built-in checks plus the config's plugin modules.
import { existsSync } from 'node:fs';
import { CHECKS } from '../checks/index.js';
import type { Config } from '../config/schema.js';
import type { Check } from '../engine/check.js';
import { ConfigError, UsageError } from '../errors.js';

export const DEFAULT_CONFIG = 'askedgi-doctor.yaml';

export function selectChecks(all: readonly Check[], only: string[] | undefined, skip: string[]): Check[] {
  const known = all.map((c) => c.id);
  const unknown = [...(only ?? []), ...skip].filter((id) => !known.includes(id));
  if (unknown.length > 0) throw new UsageError(`unknown check id(s): ${unknown.join(', ')} (see askedgi-doctor list)`);
  return all.filter((c) => (!only || only.length === 0 || only.includes(c.id)) && !skip.includes(c.id));
}

/** The config and the whole catalog: built-in checks plus the config's plugin modules. */
export async function loadSetup(file: string): Promise<{ cfg: Config; checks: Check[] }> {
  // The loader (yaml, zod) and the plugin loader only when there is a config: `list` without one loads neither.
  const [{ loadConfig, unknownCheckIds }, { loadPluginChecks }] = await Promise.all([import('../config/load.js'), import('../engine/plugins.js')]);
  const cfg = loadConfig(file, {});
  const plugins = await loadPluginChecks(cfg.checks.modules, file, CHECKS);
  const checks = [...CHECKS, ...plugins];
  const problems = unknownCheckIds(cfg, checks.map((c) => c.id));
  if (problems.length > 0) throw new ConfigError(file, problems);
  return { cfg, checks };
}

/** For list, explain and iam-policy: the catalog with the config's plugins when a config is there. */
export async function optionalSetup(file: string | undefined): Promise<{ cfg?: Config; checks: Check[] }> {
  if (file === undefined && !existsSync(DEFAULT_CONFIG)) return { checks: [...CHECKS] };
  return loadSetup(file ?? DEFAULT_CONFIG);
}

export const sourceOf = (c: Check): string => c.source ?? 'built-in';
