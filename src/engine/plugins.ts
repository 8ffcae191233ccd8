// Checks from outside the package: modules listed in the config's checks.modules, in exactly the
// shape of the built-in checks, validated when loaded.
import { createRequire } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { SEVERITIES, type Finding } from '../model.js';
import type { Check } from './check.js';
import { CODE_KIND } from './finding.js';

const READ_ACTION = /^[a-z0-9-]+:(Describe|List|Get|Filter|Head)[A-Za-z0-9]*$/;

const pluginCheck = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a kebab-case id like "tenant-tag"'),
  title: z.string().min(1, 'expected the healthy state as a sentence'),
  step: z.number().int().min(0, 'expected a runbook step 0–10').max(10, 'expected a runbook step 0–10'),
  severity: z.enum(SEVERITIES),
  remediation: z.string().min(1, 'expected what to do when it fails'),
  needs: z.array(z.string()).optional(),
  permissions: z.array(z.string().regex(READ_ACTION, 'expected a read-only IAM action like "ecs:DescribeTaskDefinition"')),
  codes: z.array(z.string().regex(CODE_KIND, 'expected a kebab-case finding kind like "missing-tag"')).optional(),
  run: z.custom<Check['run']>((v) => typeof v === 'function', 'expected a function run(inventory, config, context)'),
});

const PLUGIN_STATUSES = ['pass', 'fail', 'warn', 'error', 'skip'] as const;

const pluginFinding = z.object({
  status: z.enum(PLUGIN_STATUSES, { error: (i) => `unknown status ${JSON.stringify(i.input)} (expected one of ${PLUGIN_STATUSES.join(', ')})` }),
  message: z.string({ error: 'expected a message (string)' }).min(1, 'expected a non-empty message'),
  resource: z.string().optional(),
  code: z.string().regex(CODE_KIND, 'expected a kebab-case finding kind like "missing-tag"').optional(),
  expected: z.string().optional(),
  found: z.string().optional(),
});

/**
 * What a plugin's run() resolved to, checked like its shape was when loaded: an array of findings,
 * each with a known status and a message. Anything else is one `error` finding for that check
 * (never a skip, never a crash of the run) naming what was wrong.
 */
export function validatePluginFindings(id: string, value: unknown): Finding[] {
  if (!Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    return [{ status: 'error', code: 'invalid-findings', message: `Plugin check ${id} returned ${got}, not an array of findings; nothing was verified.` }];
  }
  const problems: string[] = [];
  const findings: Finding[] = [];
  for (const [i, f] of value.entries()) {
    const parsed = pluginFinding.safeParse(f);
    if (parsed.success) findings.push(parsed.data as Finding);
    else problems.push(...parsed.error.issues.map((issue) => `findings[${i}]${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.path.length === 0 && (f === null || typeof f !== 'object') ? `expected a finding object, got ${f === null ? 'null' : typeof f}` : issue.message}`));
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).join('; ') + (problems.length > 5 ? `; and ${problems.length - 5} more` : '');
    return [{ status: 'error', code: 'invalid-findings', message: `Plugin check ${id} returned malformed findings (${shown}); its result is not trusted.` }];
  }
  return findings;
}

/** A plugin check whose results are validated before the engine sees them. */
function guarded(check: Check): Check['run'] {
  return async (inv, cfg, ctx) => validatePluginFindings(check.id, await check.run(inv, cfg, ctx));
}

/**
 * The module's checks: its default export. A TypeScript file outside an ESM package is compiled by
 * tsx as CommonJS, so `export default` arrives as `{ default: { __esModule, default: … } }`: unwrap it.
 */
function defaultExport(mod: { default?: unknown }): unknown {
  const d = mod.default;
  if (d && typeof d === 'object' && !Array.isArray(d) && 'default' in d && !('id' in d)) return (d as { default: unknown }).default;
  return d;
}

/** Where a module is: a path relative to the config file, or a package name resolved from there. */
function locate(spec: string, configFile: string): string {
  const base = dirname(resolve(configFile));
  if (spec.startsWith('.') || isAbsolute(spec)) return resolve(base, spec);
  return createRequire(resolve(base, 'package.json')).resolve(spec);
}

async function importModule(file: string): Promise<unknown> {
  if (/\.[cm]?ts$/.test(file)) {
    // TypeScript modules go through tsx's loader; JavaScript is imported as it is.
    const { tsImport } = await import('tsx/esm/api');
    return tsImport(pathToFileURL(file).href, import.meta.url);
  }
  return import(pathToFileURL(file).href);
}

/**
 * Load, validate and mark the checks of every module. A broken module is a ConfigError naming the
 * module and the field; an id that clashes with a built-in or another module's id likewise.
 */
export async function loadPluginChecks(modules: readonly string[], configFile: string, builtIn: readonly Check[]): Promise<Check[]> {
  const loaded: Check[] = [];
  const problems: string[] = [];
  const taken = new Map(builtIn.map((c) => [c.id, 'a built-in check']));
  for (const [i, spec] of modules.entries()) {
    const where = `checks.modules[${i}] (${spec})`;
    let file: string;
    let mod: { default?: unknown };
    try {
      file = locate(spec, configFile);
      mod = (await importModule(file)) as { default?: unknown };
    } catch (err) {
      problems.push(`${where}: cannot load: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    const exported = defaultExport(mod);
    if (exported === undefined) {
      problems.push(`${where}: has no default export (expected one check or an array of checks)`);
      continue;
    }
    const list = Array.isArray(exported) ? exported : [exported];
    for (const [j, candidate] of list.entries()) {
      const label = Array.isArray(exported) ? `${where} default[${j}]` : `${where} default`;
      const parsed = pluginCheck.safeParse(candidate);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) problems.push(`${label}.${issue.path.join('.') || '(check)'}: ${issue.message}`);
        continue;
      }
      const check = candidate as Check;
      const clash = taken.get(check.id);
      if (clash) {
        problems.push(`${label}.id: "${check.id}" is already used by ${clash}`);
        continue;
      }
      taken.set(check.id, where);
      loaded.push({ ...check, run: guarded(check), source: spec });
    }
  }
  if (problems.length > 0) throw new ConfigError(configFile, problems);
  // needs may only name checks that exist.
  const ids = new Set([...builtIn, ...loaded].map((c) => c.id));
  const badNeeds = loaded.flatMap((c) => (c.needs ?? []).filter((n) => !ids.has(n)).map((n) => `checks.modules (${c.source}) ${c.id}.needs: unknown check id "${n}"`));
  if (badNeeds.length > 0) throw new ConfigError(configFile, badNeeds);
  return loaded;
}
