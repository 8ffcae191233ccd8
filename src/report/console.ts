// Terminal reporter: results grouped by runbook step, details only where something needs attention.

import { createColors } from 'picocolors';
import { STATUSES, type Finding, type Report, type Status } from '../model.js';
import { groupByStep, stepName } from './steps.js';
import { truncateText } from '../text/inert.js';

export interface ConsoleOptions {
  color: boolean;
  verbose?: boolean;
  /** --quiet: only the "Needs attention" block and the summary line. */
  quiet?: boolean;
}

// Bidi overrides and isolates can visually reorder a line (CVE-2021-42574, "Trojan Source").
const BIDI_CONTROLS = new Set([0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);

function escapeCodeUnit(code: number): string {
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Makes untrusted text inert for a terminal: C0 controls (except \n, and \t which becomes a space),
 * ESC, DEL, C1 controls, bidi controls and lone surrogates are shown as visible `\xNN` / `\uNNNN`
 * escapes, so a value can neither move the cursor, change colors nor reorder the line.
 */
export function sanitizeTerminal(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\n') out += ch;
    else if (ch === '\t') out += ' ';
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || BIDI_CONTROLS.has(code) || (code >= 0xd800 && code <= 0xdfff)) {
      out += escapeCodeUnit(code);
    } else out += ch;
  }
  return out;
}

/** Sanitized text with every line after the first indented, so a value cannot forge a line of its own. */
function block(s: string, indent: string): string {
  return sanitizeTerminal(truncateText(s)).replace(/\n/g, `\n${indent}`);
}

/** Single-line fields (ids, titles, header values): newlines are escaped, not kept. */
function inline(s: string): string {
  return sanitizeTerminal(truncateText(s)).replace(/\n/g, '\\n');
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '0ms';
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(2)}s`;
}

export function totalApiCalls(report: Report): number {
  return Object.values(report.stats.apiCalls).reduce((sum, n) => sum + n, 0);
}

const TAG_WIDTH = Math.max(...STATUSES.map((s) => s.length));

/** The longest message or fix the "Needs attention" block shows on its one line per check. */
const ATTENTION_TEXT_MAX = 160;

/** Text on one line: its first line, controls made inert, cut at `max` characters. */
function oneLine(s: string, max = ATTENTION_TEXT_MAX): string {
  const first = sanitizeTerminal(s.split('\n')[0]!.trim());
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

/** Attention order: fail, then error, then warn; within a status the report's (runbook) order. */
const ATTENTION: readonly Status[] = ['fail', 'error', 'warn'];

/**
 * The checks someone has to look at, one line each: failing and erroring first, then warnings, each
 * with its id, its first non-pass message (and how many more) and the fix. Empty when nothing needs attention.
 */
export function renderNeedsAttention(report: Report, opts: Pick<ConsoleOptions, 'color'>): string[] {
  const c = createColors(opts.color);
  const paint: Partial<Record<Status, (s: string) => string>> = { fail: (s) => c.bold(c.red(s)), error: (s) => c.bold(c.magenta(s)), warn: c.yellow };
  const rows = ATTENTION.flatMap((status) => report.results.filter((r) => r.status === status));
  if (rows.length === 0) return [];
  const idWidth = Math.max(...rows.map((r) => inline(r.id).length));
  const lines = [c.bold(`Needs attention (${rows.length}):`)];
  for (const r of rows) {
    const problems = r.findings.filter((f) => f.status === r.status);
    const first = problems[0] ?? r.findings[0];
    const more = problems.length > 1 ? c.dim(` (+${problems.length - 1} more)`) : '';
    const mark = first?.baseline === 'new' ? `${c.bold(c.red('[new]'))} ` : '';
    const message = first ? oneLine(first.message) : '';
    lines.push(`  ${paint[r.status]!(r.status.toUpperCase().padEnd(TAG_WIDTH))}  ${c.bold(inline(r.id).padEnd(idWidth))}  ${mark}${message}${more} ${c.cyan('fix:')} ${oneLine(r.remediation)}`);
  }
  return lines;
}

/** "severity critical, high (12 checks of other severities not reported)" for a run with --severity. */
function filterNote(report: Report): string | undefined {
  const f = report.filter;
  if (!f) return undefined;
  return `severity ${f.severity.join(', ')} (${f.notReported} check${f.notReported === 1 ? '' : 's'} of other severities not reported)`;
}

export function renderConsole(report: Report, opts: ConsoleOptions): string {
  const c = createColors(opts.color);
  const verbose = opts.verbose ?? false;
  const paint: Record<Status, (s: string) => string> = {
    pass: c.green,
    fail: (s) => c.bold(c.red(s)),
    warn: c.yellow,
    error: (s) => c.bold(c.magenta(s)),
    skip: c.dim,
    waived: c.cyan,
  };
  const tag = (s: Status): string => paint[s](s.toUpperCase().padEnd(TAG_WIDTH));

  const lines: string[] = [];
  const summaryLine = (): string => {
    const counts = STATUSES.map((s) => {
      const text = `${report.summary[s]} ${s}`;
      return report.summary[s] > 0 ? paint[s](text) : c.dim(text);
    });
    const calls = totalApiCalls(report);
    const note = filterNote(report);
    return `${c.bold('Summary:')} ${counts.join(', ')} in ${formatDuration(report.stats.durationMs)} · ${calls} AWS API call${calls === 1 ? '' : 's'}${note ? ` · ${note}` : ''}`;
  };
  if (opts.quiet) {
    const attention = renderNeedsAttention(report, opts);
    return `${[...attention, ...(attention.length > 0 ? [''] : []), summaryLine()].join('\n')}\n`;
  }
  const { tool, target } = report;
  lines.push(c.bold(`${inline(tool.name)} ${inline(tool.version)}`) + c.dim(` (node ${inline(tool.node)})`));
  const where = [`region ${inline(target.region)}`];
  if (target.account !== undefined) where.push(`account ${inline(target.account)}`);
  where.push(`cluster ${inline(target.cluster)}`);
  lines.push(where.join(' · '));
  if (target.endpoint !== undefined) lines.push(`endpoint ${inline(target.endpoint)}`);

  // Width of "  <TAG> " so detail lines start under the check id.
  const detail = ' '.repeat(2 + TAG_WIDTH + 2);
  const sub = `${detail}  `;

  const renderFinding = (f: Finding): void => {
    const text = f.status === 'pass' ? c.dim(block(f.message, sub)) : block(f.message, sub);
    const mark = f.baseline === 'new' ? `${c.bold(c.red('[new]'))} ` : f.baseline === 'known' ? `${c.dim('[known]')} ` : '';
    lines.push(`${detail}${paint[f.status]('•')} ${mark}${text}`);
    if (verbose && f.code !== undefined) lines.push(`${sub}${c.dim('code:')}     ${inline(f.code)}`);
    if (f.resource !== undefined) lines.push(`${sub}${c.dim('resource:')} ${block(f.resource, sub)}`);
    if (f.expected !== undefined) lines.push(`${sub}${c.dim('expected:')} ${block(f.expected, sub)}`);
    if (f.found !== undefined) lines.push(`${sub}${c.dim('found:')}    ${block(f.found, sub)}`);
  };

  if (report.results.length === 0) {
    lines.push('', c.dim('No checks ran.'));
  }
  const idWidth = Math.max(0, ...report.results.map((r) => inline(r.id).length));
  for (const { step, results } of groupByStep(report.results)) {
    lines.push('', c.bold(`Step ${step} — ${stepName(step)}`));
    for (const r of results) {
      const time = verbose ? c.dim(` (${formatDuration(r.durationMs)})`) : '';
      const plugin = r.source ? c.dim(` [plugin: ${inline(r.source)}]`) : '';
      lines.push(`  ${tag(r.status)}  ${c.bold(inline(r.id).padEnd(idWidth))}  ${inline(r.title)}${plugin}${time}`);
      for (const f of r.findings) {
        if (f.status !== 'pass' || verbose) renderFinding(f);
      }
      // Skipped checks print their reason only, and a waiver is an accepted state: neither has anything to fix.
      if (r.status === 'fail' || r.status === 'error' || r.status === 'warn') {
        lines.push(`${detail}${c.cyan('fix:')} ${block(r.remediation, `${detail}     `)}`);
      }
    }
  }

  const attention = renderNeedsAttention(report, opts);
  if (attention.length > 0) lines.push('', ...attention);
  lines.push('', summaryLine());
  const b = report.baseline;
  if (b) {
    lines.push(`${c.bold('Baseline:')} ${inline(b.file)} (${inline(b.startedAt)}): ${b.new} new, ${b.known} known, ${b.fixed.length} fixed`);
    for (const f of b.fixed) lines.push(`  ${c.green('fixed')} ${inline(f.check)}: ${inline(f.message)}`);
  }
  if (verbose) {
    for (const [op, n] of Object.entries(report.stats.apiCalls).sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(c.dim(`  ${inline(op)}: ${n}`));
    }
  }
  return `${lines.join('\n')}\n`;
}
