// Reads a fleet file and resolves every target's config: the base config with the target's
// overrides deep-merged over it, then its account and region. Every problem is a ConfigError (exit 2)
// naming the file, the place (targets[i] (name).key) and what was expected.
import { dirname, resolve } from 'node:path';
import { CHECKS } from '../checks/index.js';
import { configFromRaw, formatIssues, readYaml, unknownCheckIds } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { Check } from '../engine/check.js';
import { ConfigError, UsageError } from '../errors.js';
import { fleetSchema, ROLE_ARN, type FleetFile, type FleetTarget } from './schema.js';

export interface ResolvedTarget {
  name: string;
  accountId: string;
  region: string;
  roleArn: string;
  externalId?: string;
  /** The STS session name: the target's own, else askedgi-doctor-<operator name>. */
  sessionName: string;
  /** The base config with this target's overrides, account and region. */
  cfg: Config;
  /** The catalog for this target: built-in checks plus the plugin modules its config names. */
  checks: Check[];
}

export interface Fleet {
  file: string;
  /** The base config file, resolved against the fleet file's folder. */
  baseFile: string;
  operator?: string;
  targets: ResolvedTarget[];
}

/** A fleet file that cannot be used: its path, then one line per problem (exit 2). */
export class FleetFileError extends UsageError {
  override name = 'FleetFileError';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: invalid fleet file\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `over` merged into `base`: objects key by key, anything else (lists included) replaced. Neither input changes. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

/** The default session name: askedgi-doctor-<the operator's last ARN segment>, cut to STS's 64 characters. */
export function defaultSessionName(operator: string | undefined): string {
  const who = operator?.split('/').pop()?.replace(/[^\w+=,.@-]/g, '') ?? '';
  return `askedgi-doctor${who ? `-${who}` : ''}`.slice(0, 64);
}

/** Validates the fleet file's shape and the rules zod cannot see (unique names, role in the target's account). */
export function parseFleet(raw: unknown, file: string): FleetFile {
  const result = fleetSchema.safeParse(raw ?? {});
  if (!result.success) throw new FleetFileError(file, formatIssues(result.error.issues, raw ?? {}, fleetSchema));
  const fleet = result.data;
  const problems: string[] = [];
  const seen = new Map<string, number>();
  fleet.targets.forEach((t, i) => {
    const first = seen.get(t.name);
    if (first !== undefined) problems.push(`targets[${i}].name: "${t.name}" is already the name of targets[${first}] (names must be unique: they name the report folders)`);
    else seen.set(t.name, i);
    const roleAccount = ROLE_ARN.exec(t.roleArn)?.[1];
    if (roleAccount !== t.accountId) problems.push(`targets[${i}] (${t.name}).roleArn: the role is in account ${roleAccount}, but accountId is ${t.accountId} (expected a role in the target's own account)`);
  });
  if (problems.length > 0) throw new FleetFileError(file, problems);
  return fleet;
}

/** The target's raw config: base, then overrides, then the fleet's account and region (which win). */
export function targetRawConfig(base: unknown, t: FleetTarget): Record<string, unknown> {
  const merged = deepMerge(isPlainObject(base) ? base : {}, t.config ?? {}) as Record<string, unknown>;
  return { ...merged, region: t.region, accountId: t.accountId };
}

/** Reads the fleet file and every target's config; plugin modules load once per distinct list. */
export async function loadFleet(file: string, env: NodeJS.ProcessEnv = process.env): Promise<Fleet> {
  let raw: unknown;
  try {
    raw = readYaml(file);
  } catch (err) {
    throw err instanceof ConfigError ? new FleetFileError(file, err.problems) : err;
  }
  const fleet = parseFleet(raw, file);
  const baseFile = resolve(dirname(file), fleet.config);
  const base = readYaml(baseFile);
  if (base !== null && base !== undefined && !isPlainObject(base)) throw new ConfigError(baseFile, ['(root): expected a mapping of config keys']);
  const { loadPluginChecks } = await import('../engine/plugins.js');
  const catalogs = new Map<string, Promise<Check[]>>();
  const targets: ResolvedTarget[] = [];
  const problems: string[] = [];
  for (const [i, t] of fleet.targets.entries()) {
    const where = `targets[${i}] (${t.name})`;
    let cfg: Config;
    try {
      cfg = configFromRaw(targetRawConfig(base, t), baseFile, { env });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      // The base config's key paths, said for this target (its overrides are merged in).
      problems.push(...err.problems.map((p) => `${where}: ${p} (base ${fleet.config}${t.config ? ' with the target\'s config overrides' : ''})`));
      continue;
    }
    const key = JSON.stringify(cfg.checks.modules);
    let catalog = catalogs.get(key);
    if (!catalog) {
      catalog = loadPluginChecks(cfg.checks.modules, baseFile, CHECKS).then((plugins) => [...CHECKS, ...plugins]);
      catalogs.set(key, catalog);
    }
    const checks = await catalog;
    const unknown = unknownCheckIds(cfg, checks.map((c) => c.id));
    if (unknown.length > 0) {
      problems.push(...unknown.map((p) => `${where}: ${p}`));
      continue;
    }
    targets.push({
      name: t.name,
      accountId: t.accountId,
      region: t.region,
      roleArn: t.roleArn,
      ...(t.externalId !== undefined ? { externalId: t.externalId } : {}),
      sessionName: t.sessionName ?? defaultSessionName(fleet.operator),
      cfg,
      checks,
    });
  }
  if (problems.length > 0) throw new FleetFileError(file, problems);
  return { file, baseFile, ...(fleet.operator !== undefined ? { operator: fleet.operator } : {}), targets };
}
