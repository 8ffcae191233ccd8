import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { registerEnvReferences } from '../secrets/mask.js';
import { configSchema, waiverSchema, type Config } from './schema.js';

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '') || '(root)';
}

/** Edit distance with adjacent transpositions (optimal string alignment): `clustr` → `cluster` is 1, `culster` → `cluster` is 1.
 * Written here (a dozen lines) because no runtime dependency of the package offers one; commander's is internal. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known key nearest to a mistyped one, when it is close enough to be a typo (case-insensitive; at most a third of the key's length). */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  let best: { k: string; dist: number } | undefined;
  for (const k of known) {
    const dist = editDistance(key.toLowerCase(), k.toLowerCase());
    if (!best || dist < best.dist) best = { k, dist };
  }
  return best && best.dist <= Math.max(1, Math.floor(Math.max(key.length, best.k.length) / 3)) ? best.k : undefined;
}

type Shape = z.core.$ZodType;

/** Whether the key at the end of a path is absent (or null) in its parent object, which exists. */
function isMissing(raw: unknown, path: readonly PropertyKey[]): boolean {
  let node: unknown = raw;
  for (const seg of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<PropertyKey, unknown>)[seg as string];
  }
  if (node === null || typeof node !== 'object' || Array.isArray(node) !== (typeof path[path.length - 1] === 'number')) return false;
  const v = (node as Record<PropertyKey, unknown>)[path[path.length - 1] as string];
  return v === undefined || v === null;
}

/** The object keys the config schema allows at a path (through optional, default and array wrappers). */
export function knownKeys(path: readonly PropertyKey[], schema: Shape = configSchema): string[] {
  let node: Shape | undefined = unwrap(schema);
  for (const seg of path) {
    if (!node) return [];
    const def = node._zod.def as { type: string; shape?: Record<string, Shape>; element?: Shape; valueType?: Shape };
    node = typeof seg === 'number' ? (def.element ?? def.valueType) : def.shape ? def.shape[String(seg)] : def.valueType;
    node = node ? unwrap(node) : undefined;
  }
  const shape = node ? (node._zod.def as { shape?: Record<string, Shape> }).shape : undefined;
  return shape ? Object.keys(shape) : [];
}

function unwrap(schema: Shape): Shape {
  let s = schema;
  for (;;) {
    const def = s._zod.def as { type: string; innerType?: Shape; in?: Shape };
    if (def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else return s;
  }
}

/** `path: message` lines, one per problem, e.g. "securityGroups.rds: expected a security group id like sg-0abc123".
 * A mistyped key names the nearest known one; a missing required key is said in words, not as zod's type error. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], raw?: unknown, schema: Shape = configSchema): string[] {
  return issues.flatMap((i) => {
    if (i.code === 'unrecognized_keys') {
      const known = knownKeys(i.path, schema);
      return i.keys.map((k) => {
        const near = nearestKey(k, known);
        return `${formatPath(i.path)}: unknown key "${k}"${near ? ` (did you mean "${near}"?)` : known.length > 0 ? ` (known keys: ${known.join(', ')})` : ''}`;
      });
    }
    // zod reports no input (by design: it may be a secret), so "missing" is read from the raw document.
    if (i.code === 'invalid_type' && i.path.length > 0 && raw !== undefined && isMissing(raw, i.path)) {
      const key = String(i.path[i.path.length - 1]);
      const parent = i.path.length > 1 ? ` in ${formatPath(i.path.slice(0, -1))}` : '';
      return [`${formatPath(i.path)}: the required key "${key}" is missing${parent} (expected ${i.expected === 'object' ? 'a section' : `a ${i.expected}`})`];
    }
    return [`${formatPath(i.path)}: ${i.message}`];
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
  if (!result.success) throw new ConfigError(file, formatIssues(result.error.issues, raw ?? {}));
  const cfg = result.data;
  const env = opts.env ?? process.env;
  const problems: string[] = [];
  cfg.region ??= env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
  if (!cfg.region) problems.push('region: no region: set region in the config, or AWS_REGION in the environment');
  if (opts.checkIds) problems.push(...unknownCheckIds(cfg, opts.checkIds));
  if (problems.length > 0) throw new ConfigError(file, problems);
  return cfg;
}

/** checks.only / checks.skip entries and waivers that name no known check. */
export function unknownCheckIds(cfg: Config, checkIds: readonly string[]): string[] {
  const lists = (['only', 'skip'] as const).flatMap((key) =>
    (cfg.checks[key] ?? []).filter((id) => !checkIds.includes(id)).map((id) => `checks.${key}: unknown check id "${id}" (see askedgi-doctor list)`),
  );
  const waivers = cfg.waivers.flatMap((w, i) => {
    if (checkIds.includes(w.check)) return [];
    const near = nearestKey(w.check, checkIds);
    return [`waivers[${i}].check: unknown check id "${w.check}"${near ? ` (did you mean "${near}"?)` : ' (see askedgi-doctor list)'}`];
  });
  return [...lists, ...waivers];
}

const waiversFileSchema = z.union([z.array(waiverSchema), z.strictObject({ waivers: z.array(waiverSchema) })]);

/** The waivers of `waiversFile` (relative to the config file), appended to the config's own. */
function loadWaiversFile(cfg: Config, configFile: string): void {
  if (!cfg.waiversFile) return;
  const file = resolve(dirname(configFile), cfg.waiversFile);
  const raw = readYaml(file);
  const result = waiversFileSchema.safeParse(raw ?? []);
  if (!result.success) {
    // Report against the list shape, which is what most files are.
    const list = Array.isArray(raw) ? raw : ((raw as { waivers?: unknown } | null)?.waivers ?? raw);
    const listIssues = z.array(waiverSchema).safeParse(list).error?.issues ?? result.error.issues;
    throw new ConfigError(file, formatIssues(listIssues, list).map((l) => `waivers${l.startsWith('(root)') ? l.slice(6) : l.startsWith('[') ? l : `.${l}`}`));
  }
  cfg.waivers = [...cfg.waivers, ...(Array.isArray(result.data) ? result.data : result.data.waivers)];
}

/** The most alias expansions a config may use (the yaml package counts each alias by the size of what it repeats). */
export const MAX_ALIAS_COUNT = 50;

/** Reads and parses a YAML file, bounded; every failure is a ConfigError naming the file. */
export function readYaml(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(file, [code === 'ENOENT' ? 'file not found' : `cannot read: ${(err as Error).message}`]);
  }
  try {
    // Bounded: a config needs few aliases; an alias bomb ("billion laughs") is refused, not expanded.
    return parseYaml(text, { maxAliasCount: MAX_ALIAS_COUNT, uniqueKeys: true });
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
}

export function loadConfig(file: string, opts: LoadOptions): Config {
  return configFromRaw(readYaml(file), file, opts);
}

/** A config from its parsed YAML (`file` names it in errors and anchors waiversFile): what loadConfig does after reading. */
export function configFromRaw(raw: unknown, file: string, opts: LoadOptions): Config {
  const cfg = parseConfig(raw, file, opts);
  loadWaiversFile(cfg, file);
  if (opts.checkIds) {
    const problems = unknownCheckIds(cfg, opts.checkIds);
    if (problems.length > 0) throw new ConfigError(file, problems);
  }
  // The values behind env: references are secrets the doctor now knows: masked in every output.
  registerEnvReferences(raw, opts.env ?? process.env);
  return cfg;
}
