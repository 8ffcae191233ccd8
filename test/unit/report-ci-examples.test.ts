// examples/ci/: GitHub Actions, GitLab CI and Jenkins. Each parses, publishes the JUnit and HTML
// reports even when the run fails, gates on the exit code, and names only commands and options the
// CLI has (read from the commander program itself, so a renamed option breaks this test).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { buildProgram } from '../../src/cli.js';
import { REPORT_FORMATS } from '../../src/report/write.js';

const DIR = join(import.meta.dirname, '../../examples/ci');
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');

function yamlOf(name: string): Record<string, unknown> {
  const doc = parseDocument(read(name), { prettyErrors: true, uniqueKeys: true });
  expect(doc.errors.map((e) => e.message)).toEqual([]);
  expect(doc.warnings.map((e) => e.message)).toEqual([]);
  return doc.toJS() as Record<string, unknown>;
}

/** Every `npx askedgi-doctor …` invocation in a file, one per line (shell continuations joined). */
function invocations(text: string): string[][] {
  const joined = text.replace(/\\\r?\n\s*/g, ' ');
  return [...joined.matchAll(/npx askedgi-doctor ([^\n'"]+)/g)].map((m) => m[1]!.trim().split(/\s+/));
}

// With remediate in argv its subcommands are registered too (the CLI loads them only when named).
const program = await buildProgram(() => undefined, ['node', 'askedgi-doctor', 'remediate']);

/** Throws unless the subcommand exists and every option given is one of its options with a valid value. */
function assertKnown(args: string[]): void {
  const [name, ...after] = args;
  let command = program.commands.find((c) => c.name() === name);
  expect(command, `askedgi-doctor has no command "${name}"`).toBeDefined();
  let rest = after;
  // A command group (`fleet run`): the next word names its subcommand.
  while (command!.commands.length > 0) {
    const [sub, ...more] = rest;
    const next = command!.commands.find((c) => c.name() === sub);
    expect(next, `askedgi-doctor ${command!.name()} has no subcommand "${sub}"`).toBeDefined();
    command = next;
    rest = more;
  }
  const flags = new Map<string, { takesValue: boolean; long?: string }>();
  for (const o of command!.options) {
    const takesValue = o.required || o.optional;
    if (o.long) flags.set(o.long, { takesValue, long: o.long });
    if (o.short) flags.set(o.short, { takesValue, long: o.long });
  }
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i]!;
    if (!arg.startsWith('-')) continue;
    const flag = flags.get(arg);
    expect(flag, `askedgi-doctor ${name} has no option ${arg}`).toBeDefined();
    if (flag!.takesValue) {
      const value = rest[i + 1];
      expect(value && !value.startsWith('-'), `${arg} needs a value`).toBeTruthy();
      if (flag!.long === '--format') for (const f of value!.split(',')) expect(REPORT_FORMATS).toContain(f);
      i += 1;
    }
  }
}

/** Braces, brackets and parentheses balance outside strings and comments (a Groovy syntax floor). */
function assertBalanced(groovy: string): void {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  let i = 0;
  let line = 1;
  while (i < groovy.length) {
    const ch = groovy[i]!;
    const next = groovy[i + 1];
    if (ch === '\n') line += 1;
    if (ch === '/' && next === '/') {
      while (i < groovy.length && groovy[i] !== '\n') i += 1;
      continue;
    }
    if (ch === '/' && next === '*') {
      const end = groovy.indexOf('*/', i + 2);
      expect(end, 'unterminated block comment').toBeGreaterThan(0);
      line += groovy.slice(i, end).split('\n').length - 1;
      i = end + 2;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const triple = groovy.startsWith(ch.repeat(3), i);
      const quote = triple ? ch.repeat(3) : ch;
      let j = i + quote.length;
      while (j < groovy.length && !groovy.startsWith(quote, j)) {
        if (groovy[j] === '\\') j += 1;
        if (!triple && groovy[j] === '\n') throw new Error(`line ${line}: unterminated string`);
        j += 1;
      }
      expect(j < groovy.length, `line ${line}: unterminated string`).toBe(true);
      line += groovy.slice(i, j).split('\n').length - 1;
      i = j + quote.length;
      continue;
    }
    if ('([{'.includes(ch)) stack.push(ch);
    if (')]}'.includes(ch)) {
      const open = stack.pop();
      if (open !== pairs[ch]) throw new Error(`line ${line}: "${ch}" closes "${open ?? 'nothing'}"`);
    }
    i += 1;
  }
  expect(stack, 'unclosed brackets at the end').toEqual([]);
}

describe('examples/ci', () => {
  it('the checker itself notices unknown commands, options and formats and unbalanced Groovy', () => {
    expect(() => assertKnown(['run', '--fail-on-everything'])).toThrow(/has no option --fail-on-everything/);
    expect(() => assertKnown(['verify'])).toThrow(/has no command "verify"/);
    expect(() => assertKnown(['run', '--format', 'json,pdf'])).toThrow();
    expect(() => assertKnown(['fleet', 'sprint'])).toThrow(/has no subcommand "sprint"/);
    expect(() => assertKnown(['fleet', 'run', '--format', 'pdf'])).toThrow();
    expect(() => assertKnown(['fleet', 'run', '--file', 'fleet.yaml', '--shard', '1/2'])).not.toThrow();
    expect(() => assertBalanced("pipeline { stages { sh 'echo }' }")).toThrow(/unclosed/);
    expect(() => assertBalanced('a { b ) }')).toThrow(/closes/);
    expect(() => assertBalanced("x { sh 'a }' } // }")).not.toThrow();
  });

  it('GitHub Actions: valid YAML, runs the doctor as a gating step, publishes JUnit and HTML even on failure', () => {
    const wf = yamlOf('github-actions.yml');
    const jobs = wf.jobs as Record<string, { steps: Array<Record<string, unknown>> }>;
    const steps = Object.values(jobs).flatMap((j) => j.steps);
    const run = steps.find((s) => String(s.run ?? '').includes('npx askedgi-doctor run'))!;
    expect(run).toBeDefined();
    // The doctor's step has no continue-on-error: its exit code fails the job.
    expect(run['continue-on-error']).toBeUndefined();
    const junit = steps.find((s) => String(s.uses ?? '').startsWith('mikepenz/action-junit-report@'))!;
    expect((junit.with as Record<string, string>).report_paths).toBe('reports/junit.xml');
    const upload = steps.find((s) => String(s.uses ?? '').startsWith('actions/upload-artifact@'))!;
    for (const s of [junit, upload]) expect(s.if).toMatch(/always\(\)|!cancelled\(\)/);
    expect(String((upload.with as Record<string, string>).path)).toContain('reports/askedgi-doctor.html');
    expect(String((upload.with as Record<string, string>).path)).not.toContain('trace');
    const calls = invocations(read('github-actions.yml'));
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) assertKnown(c);
    expect(calls.some((c) => c.includes('--baseline'))).toBe(true);
  });

  it('GitHub Actions fleet: a matrix of shards that upload even on failure, one merge that gates and publishes the fleet JUnit', () => {
    const wf = yamlOf('github-actions-fleet.yml');
    const jobs = wf.jobs as Record<string, { strategy?: { 'fail-fast'?: boolean; matrix: { shard: number[] } }; needs?: string; if?: string; steps: Array<Record<string, unknown>> }>;
    const shard = jobs.shard!;
    const n = shard.strategy!.matrix.shard.length;
    expect(shard.strategy!.matrix.shard).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(shard.strategy!['fail-fast']).toBe(false);
    const run = shard.steps.find((s) => String(s.run ?? '').includes('npx askedgi-doctor fleet run'))!;
    expect(run['continue-on-error']).toBeUndefined();
    // The shard spec is matrix value / matrix size.
    expect((run.env as Record<string, string>).SHARD).toBe(`\${{ matrix.shard }}/${n}`);
    const upload = shard.steps.find((s) => String(s.uses ?? '').startsWith('actions/upload-artifact@'))!;
    expect(upload.if).toMatch(/always\(\)|!cancelled\(\)/);
    const merge = jobs.merge!;
    expect(merge.needs).toBe('shard');
    expect(merge.if).toMatch(/always\(\)|!cancelled\(\)/);
    const mergeRun = merge.steps.find((s) => String(s.run ?? '').includes('npx askedgi-doctor fleet merge'))!;
    expect(mergeRun['continue-on-error']).toBeUndefined();
    // Every shard's artifact is merged.
    for (let i = 1; i <= n; i += 1) expect(String(mergeRun.run)).toContain(`shards/askedgi-doctor-fleet-shard-${i}`);
    const junit = merge.steps.find((s) => String(s.uses ?? '').startsWith('mikepenz/action-junit-report@'))!;
    expect((junit.with as Record<string, string>).report_paths).toBe('fleet/fleet-junit.xml');
    const calls = invocations(read('github-actions-fleet.yml'));
    expect(calls.map((c) => c.slice(0, 2).join(' '))).toEqual(['fleet run', 'fleet merge']);
    for (const c of calls) assertKnown(c);
  });

  it('GitLab CI: valid YAML, a JUnit artifact report, the HTML kept on failure, the trace never', () => {
    const ci = yamlOf('gitlab-ci.yml');
    const job = ci['askedgi-doctor'] as { script: string[]; artifacts: { when: string; paths: string[]; exclude: string[]; reports: { junit: string } }; allow_failure?: unknown };
    expect(job.artifacts.reports.junit).toBe('reports/junit.xml');
    expect(job.artifacts.when).toBe('always');
    expect(job.artifacts.paths).toContain('reports/askedgi-doctor.html');
    expect(job.artifacts.exclude).toContain('reports/smoke/trace-SENSITIVE.zip');
    expect(job.allow_failure).toBeUndefined();
    expect(job.script.some((l) => l.startsWith('npx askedgi-doctor run'))).toBe(true);
    const calls = invocations(read('gitlab-ci.yml'));
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) assertKnown(c);
  });

  it('Jenkins: balanced Groovy, junit and archiveArtifacts in post/always, the doctor run by sh (its exit code fails the build)', () => {
    const groovy = read('Jenkinsfile');
    assertBalanced(groovy);
    expect(groovy).toMatch(/^pipeline \{/m);
    const post = groovy.slice(groovy.indexOf('post {'));
    expect(post).toMatch(/always \{[\s\S]*junit testResults: 'reports\/junit\.xml'/);
    expect(post).toMatch(/archiveArtifacts artifacts: '[^']*reports\/askedgi-doctor\.html/);
    // `sh` without returnStatus: a non-zero exit fails the stage.
    expect(groovy).not.toMatch(/returnStatus/);
    const calls = invocations(groovy);
    expect(calls.length).toBe(2);
    for (const c of calls) assertKnown(c);
    expect(calls.some((c) => c.includes('--fail-on-new'))).toBe(true);
  });
});

describe('report formats', () => {
  it('the CLI accepts exactly the formats the report writer writes (options.ts stays light, so it keeps its own list)', async () => {
    const { FORMATS } = await import('../../src/commands/options.js');
    const { REPORT_FORMATS } = await import('../../src/report/write.js');
    expect([...FORMATS]).toEqual([...REPORT_FORMATS]);
  });
});
