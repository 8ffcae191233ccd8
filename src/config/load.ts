import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { registerEnvReferences } from '../secrets/mask.js';
import { configSchema, type Config } from './schema.js';

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '') || '(root)';
}

/** `path: message` lines, one per problem, e.g. "securityGroups.rds: expected a security group id like sg-0abc123". */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((i) => {
    if (i.code === 'unrecognized_keys') return `${formatPath(i.path)}: unknown key(s) ${i.keys.map((k) => `"${k}"`).join(', ')}`;
    return `${formatPath(i.path)}: ${i.message}`;
  });
}

export interface LoadOptions {
  /** Known check ids, for the semantic pass over checks.only / checks.skip; absent: checked later (plugins not loaded yet). */
  checkIds?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

/** Parse and validate a config object; fills the region from the environment when absent. */
export function parseConfig(raw: unknown, file: string, opts: LoadOptions): Config {
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) throw new ConfigError(file, formatIssues(result.error.issues));
  const cfg = result.data;
  const env = opts.env ?? process.env;
  const problems: string[] = [];
  cfg.region ??= env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
  if (!cfg.region) problems.push('region: no region: set region in the config, or AWS_REGION in the environment');
  if (opts.checkIds) problems.push(...unknownCheckIds(cfg, opts.checkIds));
  if (problems.length > 0) throw new ConfigError(file, problems);
  return cfg;
}

/** checks.only / checks.skip entries that name no known check. */
export function unknownCheckIds(cfg: Config, checkIds: readonly string[]): string[] {
  return (['only', 'skip'] as const).flatMap((key) =>
    (cfg.checks[key] ?? []).filter((id) => !checkIds.includes(id)).map((id) => `checks.${key}: unknown check id "${id}" (see askedgi-doctor list)`),
  );
}

/** The most alias expansions a config may use (the yaml package counts each alias by the size of what it repeats). */
export const MAX_ALIAS_COUNT = 50;

export function loadConfig(file: string, opts: LoadOptions): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(file, [code === 'ENOENT' ? 'file not found' : `cannot read: ${(err as Error).message}`]);
  }
  let raw: unknown;
  try {
    // Bounded: a config needs few aliases; an alias bomb ("billion laughs") is refused, not expanded.
    raw = parseYaml(text, { maxAliasCount: MAX_ALIAS_COUNT, uniqueKeys: true });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const pos = err.linePos?.[0];
      throw new ConfigError(file, [`${pos ? `line ${pos.line}, column ${pos.col}: ` : ''}${err.message.split('\n')[0]}`]);
    }
    // yaml throws a plain ReferenceError for too many aliases (and for an alias to nothing).
    if (err instanceof ReferenceError) {
      const why = /alias count/i.test(err.message) ? `too many YAML aliases (more than ${MAX_ALIAS_COUNT} expansions): refused as a resource exhaustion ("alias bomb")` : err.message.split('\n')[0]!;
      throw new ConfigError(file, [why]);
    }
    throw err;
  }
  const cfg = parseConfig(raw, file, opts);
  // The values behind env: references are secrets the doctor now knows: masked in every output.
  registerEnvReferences(raw, opts.env ?? process.env);
  return cfg;
}
