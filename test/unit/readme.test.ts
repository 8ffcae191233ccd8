// The README (issue 14 item 6): its generated table of contents is current and every in-page link
// lands on a heading; there is one "Exit codes" section; the complete example config is shown exactly
// as examples/askedgi-doctor.yaml has it and validates (ajv against the generated config schema, and
// the loader), with its commented-out lines too; the quick start and the by-hand moto recipe are there.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { CONFIG_SCHEMA_FILE } from '../../src/config/json-schema.js';
import { parseConfig } from '../../src/config/load.js';
import { brokenAnchors, EXAMPLE_END, EXAMPLE_START, exampleBlock, headings, markedSection, renderToc, replaceGenerated, slug, TOC_END, TOC_START } from '../../src/text/readme-toc.js';

const ROOT = resolve(import.meta.dirname, '../..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const example = readFileSync(join(ROOT, 'examples', 'askedgi-doctor.yaml'), 'utf8');

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, CONFIG_SCHEMA_FILE), 'utf8')) as object);

/** The example with every commented-out YAML line (`# key: …`, `#   - …`) made live; prose comments stay. */
function uncommented(yaml: string): string {
  return yaml
    .split('\n')
    .map((l) => (l.startsWith('# yaml-language-server') ? l : l.replace(/^(\s*)# ((?:[A-Za-z]+:(?: |$)|- | {2}).*)$/, '$1$2')))
    .join('\n');
}

function expectValidConfig(yaml: string): void {
  const raw = parse(yaml) as unknown;
  expect(validate(raw), ajv.errorsText(validate.errors)).toBe(true);
  expect(() => parseConfig(raw, 'askedgi-doctor.yaml', { checkIds: CHECKS.map((c) => c.id), env: {} })).not.toThrow();
}

describe('README', () => {
  it('the table of contents is the one `npm run readme` generates, and the README is otherwise current too', () => {
    expect(markedSection(readme, TOC_START, TOC_END)).toBe(renderToc(readme));
    expect(replaceGenerated(readme, example)).toBe(readme);
  });

  it('every in-page link (#anchor) lands on a heading, the table of contents included', () => {
    expect(brokenAnchors(readme)).toEqual([]);
    const toc = markedSection(readme, TOC_START, TOC_END)!;
    expect(toc.split('\n').length).toBe(headings(readme).filter((h) => h.level === 2 || h.level === 3).length);
  });

  it('has exactly one "Exit codes" section, covering every command', () => {
    const exit = headings(readme).filter((h) => /exit codes/i.test(h.text));
    expect(exit.map((h) => h.text)).toEqual(['Exit codes']);
    const section = readme.slice(readme.indexOf('\n## Exit codes\n'), readme.indexOf('\n## ', readme.indexOf('\n## Exit codes\n') + 1));
    for (const code of ['| 0 |', '| 1 |', '| 2 |', '| 3 |', '| 4 |', '| 70 |']) expect(section).toContain(code);
    for (const command of ['`run`', '`diagnose`', '`remediate`']) expect(section).toContain(command);
  });

  it('shows examples/askedgi-doctor.yaml exactly, and it validates with its commented-out lines too', () => {
    expect(markedSection(readme, EXAMPLE_START, EXAMPLE_END)).toBe(exampleBlock(example));
    const shown = /^```yaml\n([\s\S]*)\n```$/.exec(markedSection(readme, EXAMPLE_START, EXAMPLE_END)!)![1]!;
    expectValidConfig(shown);
    const full = uncommented(shown);
    expect(full).not.toBe(shown);
    expect(parse(full)).toMatchObject({ waivers: [{ check: 's3-bucket-cors' }], iam: { taskRole: 'AskEdgiEcsTaskRole' }, network: { edgiSecurityGroup: expect.any(String) } });
    expectValidConfig(full);
  });

  it('starts with a quick start for a real account (init, run, reading the report) before the table of contents', () => {
    const quick = readme.indexOf('## Quick start on a real account');
    expect(quick).toBeGreaterThan(readme.indexOf('npm test'));
    expect(quick).toBeLessThan(readme.indexOf(TOC_START));
    const text = readme.slice(quick, readme.indexOf(TOC_START));
    for (const s of ['askedgi-doctor init --cluster', 'askedgi-doctor run', 'Needs attention', 'explain <id>', '[Exit codes](#exit-codes)']) expect(text).toContain(s);
  });

  it('the by-hand emulator recipe starts moto with the two variables the launcher sets', () => {
    const launcher = readFileSync(join(ROOT, 'src/sandbox/emulator.ts'), 'utf8');
    for (const v of ['MOTO_IAM_LOAD_MANAGED_POLICIES', 'MOTO_ECS_SERVICE_RUNNING']) expect(launcher).toContain(v);
    expect(readme).toMatch(/MOTO_IAM_LOAD_MANAGED_POLICIES=true MOTO_ECS_SERVICE_RUNNING=1 \\\n\s+\.venv\/bin\/moto_server -H 127\.0\.0\.1 -p \d+ &/);
  });
});

describe('GitHub heading anchors', () => {
  it.each([
    ['Exit codes', 'exit-codes'],
    ['Baseline (`--baseline`, `--fail-on-new`)', 'baseline---baseline---fail-on-new'],
    ['Configuration (`askedgi-doctor.yaml`)', 'configuration-askedgi-doctoryaml'],
    ['Step 1 — Network security', 'step-1--network-security'],
    ['`askedgi-doctor diagnose workspace --user <id|email>`', 'askedgi-doctor-diagnose-workspace---user-idemail'],
  ])('%s → #%s', (text, anchor) => expect(slug(text)).toBe(anchor));

  it('repeated headings get -1, -2; headings inside fenced code are not headings', () => {
    const md = '## A\n\n```md\n## B\n```\n\n### A\n\n~~~\n# C\n~~~\n## A\n';
    expect(headings(md).map((h) => h.anchor)).toEqual(['a', 'a-1', 'a-2']);
    expect(brokenAnchors('## A\n[x](#a) [y](#b)\n')).toEqual(['b']);
  });
});
