// Markdown reporter for CI job pages (GitHub's step summary, merge-request notes): a summary table,
// the checks that need attention with expected/found and the fix, then the passing ones collapsed.
// GitHub renders a subset of HTML inside Markdown, so every value is escaped for both.
import { STATUSES, type CheckResult, type Finding, type Report, type Status } from '../model.js';
import { formatDuration, totalApiCalls } from './console.js';
import { stepName } from './steps.js';

const ICON: Record<Status, string> = { fail: '❌', error: '⛔', warn: '⚠️', pass: '✅', skip: '⏭️', waived: '🔕' };

// eslint-disable-next-line no-control-regex -- removing control characters is the point here
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Untrusted text as inline Markdown: one line, HTML and Markdown syntax escaped. */
export function mdText(s: string): string {
  return s
    .replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\s*\r?\n\s*/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+!|~]/g, (c) => `\\${c}`);
}

/** Untrusted text as an inline code span, whatever backticks it holds; `cell`: inside a table row. */
export function mdCode(s: string, cell = false): string {
  const one = s.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(/\s*\r?\n\s*/g, ' ');
  const longest = Math.max(0, ...[...one.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = one.startsWith('`') || one.endsWith('`') ? ' ' : '';
  // Inside a table cell a pipe still ends the cell, code span or not; elsewhere it is literal.
  return `${fence}${pad}${cell ? one.replace(/\|/g, '\\|') : one}${pad}${fence}`;
}

/** Untrusted multi-line text as a fenced block, indented to sit inside a list item. */
function mdBlock(s: string, indent: string): string {
  const body = s.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(/\r\n?/g, '\n');
  const longest = Math.max(0, ...[...body.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${indent}${fence}text`, ...body.split('\n').map((l) => `${indent}${l}`), `${indent}${fence}`].join('\n');
}

const multiline = (s: string) => /\r|\n/.test(s);

function field(name: string, value: string): string {
  if (multiline(value)) return `    - ${name}:\n\n${mdBlock(value, '      ')}\n`;
  return `    - ${name}: ${name === 'resource' ? mdCode(value) : mdText(value)}`;
}

const mark = (f: Finding) => (f.baseline ? ` _(${f.baseline})_` : '');

function finding(f: Finding): string {
  const lines: string[] = [];
  const [first = '', ...rest] = f.message.split(/\r?\n/);
  lines.push(`- **${f.status.toUpperCase()}**${mark(f)} ${mdText(first)}${f.code !== undefined ? ` <sub>${mdCode(f.code)}</sub>` : ''}`);
  if (rest.length > 0) lines.push('', mdBlock(rest.join('\n'), '  '), '');
  if (f.resource !== undefined) lines.push(field('resource', f.resource));
  if (f.expected !== undefined) lines.push(field('expected', f.expected));
  if (f.found !== undefined) lines.push(field('found', f.found));
  for (const a of f.attachments ?? []) lines.push(`    - ${a.kind}: [${mdText(a.caption)}](${encodeURI(a.path).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)})`);
  return lines.join('\n');
}

const NEEDS_ATTENTION: readonly Status[] = ['fail', 'error', 'warn'];
const ORDER: Record<Status, number> = { fail: 0, error: 1, warn: 2, waived: 3, skip: 4, pass: 5 };

function check(r: CheckResult): string {
  const plugin = r.source ? ` · plugin ${mdCode(r.source)}` : '';
  const head = `#### ${ICON[r.status]} ${r.status.toUpperCase()} ${mdCode(r.id)} — ${mdText(r.title)}`;
  const meta = `Step ${r.step} (${mdText(stepName(r.step))}) · severity ${r.severity}${plugin}`;
  const shown = r.findings.filter((f) => f.status !== 'pass');
  return [head, '', meta, '', ...shown.map(finding), '', `**Fix:** ${mdText(r.remediation)}`, ''].join('\n');
}

export function renderMarkdown(report: Report): string {
  const t = report.target;
  const out: string[] = [];
  out.push(`## askedgi-doctor — ${mdText(t.cluster)} in ${mdText(t.region)}`, '');
  const facts = [
    t.account !== undefined ? `account ${mdCode(t.account)}` : undefined,
    `region ${mdCode(t.region)}`,
    `cluster ${mdCode(t.cluster)}`,
    t.endpoint !== undefined ? `endpoint ${mdCode(t.endpoint)}` : undefined,
    `started ${mdText(report.startedAt)}`,
    `${formatDuration(report.stats.durationMs)}`,
    `${totalApiCalls(report)} AWS API calls`,
    `askedgi-doctor ${mdText(report.tool.version)}`,
    `Node ${mdText(report.tool.node)}`,
  ].filter((x): x is string => x !== undefined);
  out.push(facts.join(' · '), '');

  out.push('| status | checks |', '|---|---:|');
  for (const s of STATUSES) out.push(`| ${ICON[s]} ${s} | ${report.summary[s]} |`);
  out.push('');

  const b = report.baseline;
  if (b) {
    out.push(`**Baseline** ${mdCode(b.file)} (started ${mdText(b.startedAt)}): ${b.new} new, ${b.known} known, ${b.fixed.length} fixed.`, '');
  }

  const attention = report.results.filter((r) => NEEDS_ATTENTION.includes(r.status)).sort((a, c) => ORDER[a.status] - ORDER[c.status] || a.step - c.step);
  if (attention.length > 0) {
    out.push('### Needs attention', '');
    for (const r of attention) out.push(check(r));
  } else if (report.results.length > 0) {
    out.push('Nothing failed, errored or warned.', '');
  } else {
    out.push('No checks ran.', '');
  }

  if (b && b.fixed.length > 0) {
    out.push('### Fixed since the baseline', '');
    for (const f of b.fixed) out.push(`- ${mdCode(f.check)} was **${f.status.toUpperCase()}**: ${mdText(f.message)}${f.resource !== undefined ? ` (${mdCode(f.resource)})` : ''}`);
    out.push('');
  }

  const rest = report.results.filter((r) => !NEEDS_ATTENTION.includes(r.status));
  const skipped = rest.filter((r) => r.status === 'skip' || r.status === 'waived');
  if (skipped.length > 0) {
    out.push('<details><summary>Skipped and waived checks (' + String(skipped.length) + ')</summary>', '');
    out.push('| status | step | check | reason |', '|---|---:|---|---|');
    for (const r of skipped) out.push(`| ${ICON[r.status]} ${r.status} | ${r.step} | ${mdCode(r.id, true)} | ${mdText(r.findings.map((f) => f.message).join(' '))} |`);
    out.push('', '</details>', '');
  }
  const passing = rest.filter((r) => r.status === 'pass');
  if (passing.length > 0) {
    out.push(`<details><summary>Passing checks (${passing.length})</summary>`, '');
    out.push('| step | check | healthy state |', '|---:|---|---|');
    for (const r of passing) out.push(`| ${r.step} | ${mdCode(r.id, true)} | ${mdText(r.title)} |`);
    out.push('', '</details>', '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
