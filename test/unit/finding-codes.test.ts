// Finding identity (README "Reports"): every non-pass finding a built-in check can write carries a
// code, every code a check file uses is in that check's `codes`, and the engine qualifies them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import type { Check } from '../../src/engine/check.js';
import { CODE_KIND, ENGINE_CODES, fingerprintFor, identify, INVENTORY_ERROR_CODES } from '../../src/engine/finding.js';
import { runChecks } from '../../src/engine/runner.js';
import { applyWaivers } from '../../src/engine/waivers.js';
import { FixtureInventory } from '../../src/inventory/fixture.js';
import { InventoryError } from '../../src/inventory/types.js';
import { config, healthy } from '../support/fixture-deployment.js';

const ROOT = join(import.meta.dirname, '../..');
const CONSTRUCTORS = ['fail', 'warn', 'error', 'skip'];

/** Index of the bracket closing the one at `open`, skipping strings, template literals and comments. */
function closing(src: string, open: number): number {
  const stack: string[] = [];
  const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  let i = open;
  while (i < src.length) {
    const c = src[i]!;
    if (c === "'" || c === '"') {
      i += 1;
      while (i < src.length && src[i] !== c) i += src[i] === '\\' ? 2 : 1;
    } else if (c === '`') {
      i = templateEnd(src, i);
    } else if (c === '/' && src[i + 1] === '/') {
      i = src.indexOf('\n', i);
      if (i < 0) return src.length;
    } else if (c in pairs) {
      stack.push(pairs[c]!);
    } else if (c === ')' || c === ']' || c === '}') {
      stack.pop();
      if (stack.length === 0) return i;
    }
    i += 1;
  }
  return src.length;
}

/** Index of the backtick closing the template literal that starts at `start`. */
function templateEnd(src: string, start: number): number {
  let i = start + 1;
  while (i < src.length && src[i] !== '`') {
    if (src[i] === '\\') i += 2;
    else if (src[i] === '$' && src[i + 1] === '{') i = closing(src, i + 1) + 1;
    else i += 1;
  }
  return i;
}

/** The bracket that opens the object literal around `at` (the innermost unclosed `{` before it). */
function enclosingBrace(src: string, at: number): number {
  for (let i = at; i >= 0; i -= 1) if (src[i] === '{' && closing(src, i) > at) return i;
  return -1;
}

const lineOf = (src: string, at: number) => src.slice(0, at).split('\n').length;

/** Every place a file builds a non-pass finding, with the text of the call or object literal. */
function nonPassConstructions(src: string): Array<{ line: number; text: string }> {
  // Names that stand for a constructor: the helpers, their import aliases (`fail as failFinding`),
  // and variables chosen between them (`const make = createGroup ? warn : fail`).
  const names = new Set(CONSTRUCTORS);
  const ctor = () => [...names].join('|');
  for (const m of src.matchAll(/\b(fail|warn|error|skip) as (\w+)/g)) names.add(m[2]!);
  for (const m of src.matchAll(new RegExp(`(?:const|let) (\\w+) = [^;\\n]*\\?\\s*(?:${ctor()})\\s*:\\s*(?:${ctor()})\\s*;`, 'g'))) names.add(m[1]!);
  const out: Array<{ line: number; text: string }> = [];
  const calls = new RegExp(`(?<![.\\w])(?:${ctor()})\\(|\\([^()]*\\?\\s*(?:${ctor()})\\s*:\\s*(?:${ctor()})\\s*\\)\\(`, 'g');
  for (const m of src.matchAll(calls)) {
    const open = m.index + m[0].length - 1;
    const before = src.slice(Math.max(0, m.index - 9), m.index);
    if (/function\s*$|import\s*\{?\s*$/.test(before)) continue;
    out.push({ line: lineOf(src, m.index), text: src.slice(open, closing(src, open) + 1) });
  }
  for (const m of src.matchAll(/status: '(fail|warn|error|skip)'/g)) {
    const open = enclosingBrace(src, m.index);
    if (open >= 0) out.push({ line: lineOf(src, m.index), text: src.slice(open, closing(src, open) + 1) });
  }
  return out;
}

const codesIn = (src: string) => [...src.matchAll(/\bcode: '([^']*)'/g)].map((m) => m[1]!);

const files = (dir: string) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.ts')).map((f) => `${dir}/${f}`);
const SOURCES = [...files('src/checks').filter((f) => !f.endsWith('/index.ts')), ...files('src/checks/support'), ...files('src/resolve'), 'src/smoke/flow.ts'];
const BUILT_IN = CHECKS as readonly Check[];
const checkOf = (file: string) => BUILT_IN.find((c) => `src/checks/${c.id}.ts` === file);

describe('source scan: non-pass findings carry a code', () => {
  it('finds constructions in all their forms (the scanner itself)', () => {
    const src = [
      "import { error, fail as failFinding } from 'x';",
      "const a = fail(`no ${x}.`, { resource: r });",
      "const b = failFinding('x.', { code: 'ok', resource });",
      "const make = grow ? warn : fail;",
      "const c = make('y.', { code: 'k' });",
      "const d = (inVpc ? fail : warn)('z.', { found });",
      "const e = { status: 'skip', message: 'later.' };",
      "const f = pass('fine.');",
      "console.error('not a finding');",
    ].join('\n');
    const found = nonPassConstructions(src);
    expect(found.map((f) => f.line)).toEqual([2, 3, 5, 6, 7]);
    expect(found.filter((f) => !/\bcode:/.test(f.text)).map((f) => f.line)).toEqual([2, 6, 7]);
  });

  it('every fail/warn/error/skip a check, helper or resolver builds sets `code`', () => {
    const missing: string[] = [];
    for (const file of SOURCES) {
      const src = readFileSync(join(ROOT, file), 'utf8');
      for (const c of nonPassConstructions(src)) if (!/\bcode:/.test(c.text)) missing.push(`${file}:${c.line}`);
    }
    expect(missing).toEqual([]);
  });

  it('every code written in a check file is listed in that check\'s codes, and kebab-case', () => {
    const problems: string[] = [];
    for (const file of SOURCES) {
      const check = checkOf(file);
      if (!check) continue;
      const listed = new Set(check.codes ?? []);
      for (const code of codesIn(readFileSync(join(ROOT, file), 'utf8'))) {
        if (!CODE_KIND.test(code)) problems.push(`${file}: ${code} is not kebab-case`);
        if (!listed.has(code) && !ENGINE_CODES.includes(code)) problems.push(`${file}: ${code} is not in ${check.id}.codes`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every code a shared helper or resolver writes is listed by a check that can report it', () => {
    const listed = new Set([...BUILT_IN.flatMap((c) => c.codes ?? []), ...ENGINE_CODES]);
    const problems: string[] = [];
    for (const file of SOURCES.filter((f) => !checkOf(f))) {
      for (const code of codesIn(readFileSync(join(ROOT, file), 'utf8'))) if (!listed.has(code)) problems.push(`${file}: ${code}`);
    }
    expect(problems).toEqual([]);
  });

  it('every built-in check declares its codes: kebab-case, no duplicates, none that shadows an engine code', () => {
    const problems: string[] = [];
    for (const c of BUILT_IN) {
      const codes = c.codes ?? [];
      if (codes.length === 0) problems.push(`${c.id}: no codes`);
      if (new Set(codes).size !== codes.length) problems.push(`${c.id}: duplicate codes`);
      for (const k of codes) {
        if (!CODE_KIND.test(k)) problems.push(`${c.id}: ${k} is not kebab-case`);
        if (ENGINE_CODES.includes(k)) problems.push(`${c.id}: ${k} is an engine code`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('identify', () => {
  it('qualifies the kind with the check id and fingerprints code and resource', () => {
    expect(identify('edgi-sg-ingress-rds', { status: 'fail', message: 'm.', code: 'missing-rule', resource: 'sg-1' })).toEqual({
      status: 'fail',
      message: 'm.',
      resource: 'sg-1',
      code: 'edgi-sg-ingress-rds/missing-rule',
      fingerprint: 'edgi-sg-ingress-rds/missing-rule@sg-1',
    });
    expect(identify('c', { status: 'warn', message: 'm.', code: 'k' }).fingerprint).toBe('c/k');
    expect(fingerprintFor('c/k', '')).toBe('c/k');
  });

  it('a non-pass finding without a kind is unspecified; a pass without one stays as it is', () => {
    expect(identify('p', { status: 'error', message: 'm.' }).code).toBe('p/unspecified');
    const ok = { status: 'pass' as const, message: 'fine.' };
    expect(identify('p', ok)).toBe(ok);
    expect(identify('p', { ...ok, code: 'login' }).code).toBe('p/login');
  });

  it('the inventory error kinds are engine codes', () => {
    for (const k of INVENTORY_ERROR_CODES) expect(ENGINE_CODES).toContain(k);
  });
});

describe('engine codes', () => {
  const base = { title: 'T.', step: 9, severity: 'low' as const, remediation: 'Fix.', permissions: [] };
  const inv = () => new FixtureInventory(healthy());

  it('crashed, no-finding, check-timeout, an inventory error kind, and not-run for a check whose need failed', async () => {
    const checks: Check[] = [
      { ...base, id: 'boom', run: () => Promise.reject(new Error('bad')) },
      { ...base, id: 'silent', run: () => Promise.resolve([]) },
      { ...base, id: 'slow', run: () => new Promise(() => undefined) },
      { ...base, id: 'denied', run: () => Promise.reject(new InventoryError('access-denied', 'ecs:DescribeServices', 'service s', 'denied')) },
      { ...base, id: 'after', needs: ['boom'], run: () => Promise.resolve([{ status: 'pass', message: 'ok.' }]) },
    ];
    const results = await runChecks(checks, inv(), config(), { outDir: 'reports', env: {}, checkTimeoutMs: 50 });
    const codes = Object.fromEntries(results.map((r) => [r.id, r.findings.map((f) => [f.code, f.fingerprint])]));
    expect(codes).toEqual({
      boom: [['boom/crashed', 'boom/crashed']],
      silent: [['silent/no-finding', 'silent/no-finding']],
      slow: [['slow/check-timeout', 'slow/check-timeout']],
      denied: [['denied/access-denied', 'denied/access-denied@service s']],
      after: [['after/not-run', 'after/not-run']],
    });
  });

  it('a dependent run without its root reports the root\'s problem as its own `unresolved` error', async () => {
    const logging = BUILT_IN.find((c) => c.id === 'insight-log-errors')!;
    const data = healthy();
    data.taskDefinitions = data.taskDefinitions!.filter((t) => t.family !== 'oe_edgi_insights_service');
    const [r] = await runChecks([logging], new FixtureInventory(data), config());
    expect(r!.status).toBe('error');
    expect(r!.findings.map((f) => f.code)).toEqual(['insight-log-errors/unresolved']);
  });

  it('waivers report waivers/expired and waivers/stale; a waived finding keeps its code', () => {
    const results = [
      { id: 'c', title: 'T.', step: 1, severity: 'low' as const, status: 'fail' as const, findings: [identify('c', { status: 'fail', message: 'm.', code: 'k', resource: 'r' })], remediation: 'F.', durationMs: 1 },
      { id: 'd', title: 'T.', step: 1, severity: 'low' as const, status: 'pass' as const, findings: [{ status: 'pass' as const, message: 'ok.' }], remediation: 'F.', durationMs: 1 },
    ];
    const waiver = { reason: 'Accepted.', approvedBy: 'ops', expires: '2030-01-01' };
    const out = applyWaivers(results, [{ ...waiver, check: 'c' }, { ...waiver, check: 'd' }, { ...waiver, check: 'c', expires: '2020-01-01' }], new Date('2026-12-01T00:00:00Z'));
    expect(out.results[0]!.findings[0]).toMatchObject({ status: 'waived', code: 'c/k', fingerprint: 'c/k@r' });
    expect(out.results.at(-1)!.findings.map((f) => f.code)).toEqual(['waivers/stale', 'waivers/expired']);
  });
});
